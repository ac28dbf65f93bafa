namespace Workbench.Core.Import.SampleData;

// EndDate is the last day of the two years of history. IncludeProblems plants the data problems
// listed in the summary; without it every reference resolves and every value is valid. Model is the purchase model
// the buyers are drawn from (sample-data/README.md gives the values of the committed sample).
public sealed record SampleDataOptions(int Customers, int Seed = 42, bool IncludeProblems = true)
{
    public static readonly DateOnly DefaultEndDate = new(2026, 11, 22);

    public const int MaxCustomers = 9_000_000;

    public DateOnly EndDate { get; init; } = DefaultEndDate;

    public PurchaseModelParameters Model { get; init; } = PurchaseModelParameters.Sample;
}

public sealed record SampleDataSummary(
    long Customers,
    long Products,
    long Orders,
    long OrderLines,
    long ReturnLines,
    long Events,
    long Consents,
    IReadOnlyList<ArchetypeCount> Archetypes,
    PlantedProblems Problems)
{
    public long RowsOf(string fileName) => fileName switch
    {
        SampleDataFiles.Customers => Customers,
        SampleDataFiles.Products => Products,
        SampleDataFiles.Transactions => OrderLines,
        SampleDataFiles.Events => Events,
        SampleDataFiles.Consents => Consents,
        _ => throw new ArgumentException($"{fileName} is not a sample data file", nameof(fileName)),
    };
}

public static class SampleDataFiles
{
    public const string Customers = "customers.csv";
    public const string Products = "products.csv";
    public const string Transactions = "transactions.csv";
    public const string Events = "events.csv";
    public const string Consents = "consents.csv";

    public static readonly IReadOnlyList<string> All = [Customers, Products, Transactions, Events, Consents];
}

public sealed record ArchetypeCount(string Archetype, long Customers, long OrderLines);

// Line is the physical line of the file (the header is line 1), as the importer reports it.
public sealed record DuplicatePerson(
    string CustomerId, long Line, string DuplicateOf, long DuplicateOfLine, string SharedField, string SharedValue)
{
    public string Describe() =>
        $"{SampleDataFiles.Customers}:{Line}: {SharedField}: {CustomerId} is the same person as {DuplicateOf} (line {DuplicateOfLine}), same {SharedField} {SharedValue}";
}

public sealed record InvalidEmail(string CustomerId, long Line, string Email)
{
    public string Describe() => $"{SampleDataFiles.Customers}:{Line}: email: {CustomerId} has the invalid email '{Email}'";
}

public sealed record OrphanOrderLine(string OrderId, int LineNo, long Line, string CustomerId)
{
    public string Describe() =>
        $"{SampleDataFiles.Transactions}:{Line}: customer_id: order {OrderId} line {LineNo} names {CustomerId}, who is not in {SampleDataFiles.Customers}";
}

public sealed record PlantedProblems(
    IReadOnlyList<DuplicatePerson> Duplicates,
    IReadOnlyList<InvalidEmail> InvalidEmails,
    IReadOnlyList<OrphanOrderLine> OrphanOrderLines)
{
    public static readonly PlantedProblems None = new([], [], []);

    public int Count => Duplicates.Count + InvalidEmails.Count + OrphanOrderLines.Count;

    public IEnumerable<string> Describe() =>
        Duplicates.Select(d => d.Describe())
            .Concat(InvalidEmails.Select(e => e.Describe()))
            .Concat(OrphanOrderLines.Select(o => o.Describe()));
}
