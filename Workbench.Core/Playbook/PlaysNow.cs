namespace Workbench.Core.Playbook;

// One active play for one customer, its channels together: those it would reach them on, those it would not.
public sealed record PlayNow(string PlayId, string PlayName, int Priority, IReadOnlyList<CustomerPlay> Eligible, IReadOnlyList<CustomerPlay> Blocked)
{
    public bool IsEligible => Eligible.Count > 0;

    // The play's blocking reason: that of the channel that got furthest through the rules (the reasons' kinds are
    // in the engine's order), so a play blocked by its trigger on every channel says so, rather than the consent one
    // channel lacks; ties go to the play's first channel.
    public CustomerPlay? FirstBlocked => IsEligible ? null : Blocked.Select((b, i) => (b, i))
        .OrderByDescending(x => x.b.FirstBlocking!.Kind).ThenBy(x => x.i).Select(x => x.b).FirstOrDefault();
}

// A customer's plays (PlaybookPreviewService.CustomerPlaysAsync, a row per play and channel) grouped per play, in
// the order they came (priority, expected value, id): what the customer profile's "Plays now" shows.
public static class PlaysNow
{
    public static IReadOnlyList<PlayNow> ByPlay(CustomerPlays plays) =>
        plays.Eligible.Concat(plays.NotEligible)
            .GroupBy(p => p.PlayId, StringComparer.Ordinal)
            .Select(g => (First: g.First(), Play: new PlayNow(g.Key, g.First().PlayName, g.First().Priority,
                g.Where(p => p.Eligible).ToList(), g.Where(p => !p.Eligible).ToList())))
            .OrderByDescending(x => x.Play.Priority).ThenByDescending(x => x.First.ExpectedValue).ThenBy(x => x.Play.PlayId, StringComparer.Ordinal)
            .Select(x => x.Play)
            .ToList();
}
