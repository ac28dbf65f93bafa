using Workbench.Core.Customers;
using Workbench.Core.Data;
using Workbench.Core.Jobs;
using Workbench.Core.Playbook;

namespace Workbench.Core.Decisioning;

// The contact policy of real-time decisions (campaigns set their own): by default at most 2 e-mails, 1 SMS and
// 3 messages in all in any 7 days, no message 21:00–08:00 on the customer's clock, and a stopped best play replaced
// by the best one that can go out.
public sealed record DecisioningOptions(ContactCaps Caps, QuietHours? Quiet, CappedHandling Handling)
{
    public static readonly DecisioningOptions Default = new(
        new ContactCaps(TimeSpan.FromDays(7), new Dictionary<string, int> { [PlayChannels.Email] = 2, [PlayChannels.Sms] = 1 }, 3),
        new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0)),
        CappedHandling.Substitute);
}

public sealed record NextBestAction(string CustomerId, DateTime At, string? Channel, DecisionResult Result, IReadOnlyDictionary<string, string> UnreachableContactPoints,
    IReadOnlyDictionary<string, string> PlayNames)
{
    public string NameOf(string playId) => PlayNames.TryGetValue(playId, out var name) ? name : playId;
}

public sealed record NextBestActionOutcome(NextBestAction? Action, string? Problem);

// The real-time decision for one customer: the snapshot of the store, every active play, the engine. Propensities
// come from campaign outcomes (PropensityOutcomes), the stated default prior until outcomes exist.
public sealed class NextBestActionService(StoreLocation store, PlaybookStore playbook, JobScheduleOptions schedule, TimeProvider clock,
    DecisioningOptions? options = null, PropensityOutcomes? propensities = null)
{
    public DecisioningOptions Options { get; } = options ?? DecisioningOptions.Default;

    public async Task<NextBestActionOutcome> DecideAsync(string customerId, string? channel, DateTime? at, CancellationToken ct)
    {
        if (channel is not null && !PlayChannels.WithContent.Contains(channel))
            return new(null, $"channel '{channel}' is not one of {string.Join(", ", PlayChannels.WithContent)}");
        var now = at ?? clock.GetUtcNow().UtcDateTime;
        CustomerSnapshot? snapshot;
        IReadOnlyDictionary<string, string> unreachable;
        await using (var connection = await StoreSql.OpenAsync(store, ct))
        {
            snapshot = await SnapshotReader.ReadAsync(connection, customerId, now, null, ct);
            if (snapshot is null) return new(null, $"customer '{customerId}' not found");
            unreachable = await ContactPoints.ReadAsync(connection, customerId, ct);
        }
        var objectives = (await playbook.UseCasesAsync(ct)).ToDictionary(u => u.Id, u => u.Objective, StringComparer.Ordinal);
        var active = await playbook.PlaysAsync(PlayStatus.Active, ct);
        var plays = new PlaySet(active,
            active.Where(p => objectives.ContainsKey(p.UseCaseId)).ToDictionary(p => p.Id, p => objectives[p.UseCaseId], StringComparer.Ordinal),
            propensities is null ? PropensityModel.Empty : await propensities.ModelAsync(ct));
        var settings = new EngineSettings(Options.Caps, Options.Quiet, Options.Handling, schedule.Zone, [], BusinessLevers.None);
        var customer = PlaybookCustomer.Prepare(snapshot, now, schedule.Zone);
        var result = DecisionEngine.Decide(customer, new DecisionContext(now, channel), plays, settings, unreachable);
        return new(new NextBestAction(customerId, now, channel, result, unreachable,
            active.ToDictionary(p => p.Id, p => p.Name, StringComparer.Ordinal)), null);
    }
}
