using System.Globalization;

namespace Workbench.Core.Import.SampleData;

internal sealed record PersonSnapshot(
    string CustomerId, long Line, string FirstName, string LastName, string FirstKey, string LastKey,
    string Gender, string BirthDate, string Email, string Phone);

// Which customers carry a planted problem. Chosen up front from their own random stream, and applied only
// by overwriting fields, so the rest of the data is the same with and without problems.
internal sealed class ProblemPlan
{
    public const int DuplicatePairs = 10;
    public const int InvalidEmails = 15;
    public const int OrphanLines = 10;

    private readonly Dictionary<int, int> _originals = [];
    private readonly Dictionary<int, int> _copies = [];
    private readonly HashSet<int> _invalidEmailCandidates = [];
    private readonly List<int> _orphanCandidates = [];
    private readonly Dictionary<int, PersonSnapshot> _snapshots = [];
    private readonly int _customers;
    private int _invalidEmailsLeft;
    private int _orphanLinesLeft;

    private ProblemPlan(int customers) => _customers = customers;

    public List<DuplicatePerson> Duplicates { get; } = [];
    public List<InvalidEmail> Invalid { get; } = [];

    public static ProblemPlan None(int customers) => new(customers);

    public static ProblemPlan Create(int customers, int seed)
    {
        var plan = new ProblemPlan(customers)
        {
            _invalidEmailsLeft = Math.Min(InvalidEmails, customers / 30),
            _orphanLinesLeft = Math.Min(OrphanLines, customers / 40),
        };
        var rng = new SampleRandom(SampleRandom.Derive(seed, 2, (ulong)customers));
        var used = new HashSet<int>();
        int Draw()
        {
            while (true)
            {
                var index = rng.Next(customers);
                if (used.Add(index)) return index;
            }
        }

        var pairs = Math.Min(DuplicatePairs, customers / 40);
        for (var p = 0; p < pairs; p++)
        {
            var a = Draw();
            var b = Draw();
            plan._originals[Math.Min(a, b)] = p;
            plan._copies[Math.Max(a, b)] = p;
        }
        // More candidates than needed: only customers who never opened an email get a broken address.
        var invalidCandidates = Math.Min(plan._invalidEmailsLeft * 6, customers / 8);
        for (var i = 0; i < invalidCandidates; i++) plan._invalidEmailCandidates.Add(Draw());
        var orphanCandidates = plan._orphanLinesLeft > 0 ? Math.Min(plan._orphanLinesLeft, customers / 40) : 0;
        for (var i = 0; i < orphanCandidates; i++) plan._orphanCandidates.Add(Draw());
        plan._orphanCandidates.Sort();
        return plan;
    }

    public bool IsDuplicateOriginal(int index) => _originals.ContainsKey(index);

    public void Remember(int index, PersonSnapshot person) => _snapshots[_originals[index]] = person;

    // The person a customer duplicates, and which field they share: even pairs share the email, odd the phone,
    // falling back to the other when the original has none.
    public bool TryGetDuplicate(int index, out PersonSnapshot person, out string sharedField)
    {
        person = null!;
        sharedField = "";
        if (!_copies.TryGetValue(index, out var pair) || !_snapshots.Remove(pair, out var original)) return false;
        person = original;
        var preferEmail = pair % 2 == 0;
        sharedField = (preferEmail, original.Email != "", original.Phone != "") switch
        {
            (true, true, _) or (false, true, false) => "email",
            (false, _, true) or (true, false, true) => "phone",
            _ => "",
        };
        return sharedField != "";
    }

    public bool WantsInvalidEmail(int index) => _invalidEmailsLeft > 0 && _invalidEmailCandidates.Contains(index);

    public void AddInvalidEmail(InvalidEmail problem)
    {
        Invalid.Add(problem);
        _invalidEmailsLeft--;
    }

    public void AddDuplicate(DuplicatePerson problem) => Duplicates.Add(problem);

    // The unknown customer id that this customer's first order is booked to, if any.
    public string? OrphanCustomerId(int index)
    {
        if (_orphanLinesLeft <= 0) return null;
        var rank = _orphanCandidates.BinarySearch(index);
        return rank < 0 ? null : CustomerId(_customers + 1 + rank);
    }

    public void UseOrphanLines(int lines) => _orphanLinesLeft -= lines;

    public static string CustomerId(int number) => "C" + number.ToString("D7", CultureInfo.InvariantCulture);
}
