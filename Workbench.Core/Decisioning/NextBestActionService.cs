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

    // fullTrace: every rule of every play with the customer's value (the Why this offer page, the decide verb); without
    // it each play that cannot go keeps only its first blocking rule, as in a campaign run (the API's default).
    public async Task<NextBestActionOutcome> DecideAsync(string customerId, string? channel, DateTime? at, CancellationToken ct, bool fullTrace = true)
    {
        if (channel is not null && !PlayChannels.WithContent.Contains(channel))
            return new(null, $"channel '{channel}' is not one of {string.Join(", ", PlayChannels.WithContent)}");
        var now = at ?? clock.GetUtcNow().UtcDateTime;
        CustomerSnapshot? snapshot;
        IReadOnlyDictionary<string, string> unreachable;
        Inputs inputs;
        await using (var connection = await StoreSql.OpenAsync(store, ct))
        {
            snapshot = await SnapshotReader.ReadAsync(connection, customerId, now, null, ct);
            if (snapshot is null) return new(null, $"customer '{customerId}' not found");
            unreachable = await ContactPoints.ReadAsync(connection, customerId, ct);
            inputs = await InputsAsync(connection, ct);
        }
        var settings = new EngineSettings(Options.Caps, Options.Quiet, Options.Handling, schedule.Zone, [], BusinessLevers.None);
        var customer = PlaybookCustomer.Prepare(snapshot, now, schedule.Zone);
        var result = DecisionEngine.Decide(customer, new DecisionContext(now, channel), inputs.Plays, settings, unreachable, fullTrace);
        // The names of the plays considered (on one channel, a third of the playbook), not of every active play.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var verdict in result.Verdicts) names.TryAdd(verdict.PlayId, inputs.Names[verdict.PlayId]);
        return new(new NextBestAction(customerId, now, channel, result, unreachable, names), null);
    }

    // The active plays with their objectives and the propensity model, kept while none of the three changes (the
    // playbook's and the model's own reads are kept the same way), so a decision does not rebuild them.
    private sealed record Inputs(IReadOnlyList<Play> Active, IReadOnlyDictionary<string, Objective> Objectives, PropensityModel Model, PlaySet Plays,
        IReadOnlyDictionary<string, string> Names);

    private volatile Inputs? _inputs;

    private async Task<Inputs> InputsAsync(System.Data.Common.DbConnection connection, CancellationToken ct)
    {
        var objectives = await PlaybookStore.ObjectivesAsync(connection, ct);
        var active = await playbook.PlaysAsync(PlayStatus.Active, connection, ct);
        var model = propensities is null ? PropensityModel.Empty : await propensities.ModelAsync(connection, ct);
        if (_inputs is { } kept && ReferenceEquals(kept.Active, active) && ReferenceEquals(kept.Model, model)
            && kept.Objectives.Count == objectives.Count && objectives.All(o => kept.Objectives.TryGetValue(o.Key, out var v) && v == o.Value))
            return kept;
        var plays = new PlaySet(active,
            active.Where(p => objectives.ContainsKey(p.UseCaseId)).ToDictionary(p => p.Id, p => objectives[p.UseCaseId], StringComparer.Ordinal), model);
        var inputs = new Inputs(active, objectives, model, plays, active.ToDictionary(p => p.Id, p => p.Name, StringComparer.Ordinal));
        _inputs = inputs;
        return inputs;
    }
}
