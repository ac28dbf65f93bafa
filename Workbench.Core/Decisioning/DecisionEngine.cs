using System.Globalization;
using Workbench.Core.Playbook;

namespace Workbench.Core.Decisioning;

// Where and when the decision is asked: a touchpoint's channel (null: every channel) and optional keys such as a
// store or the weather, which context weights read.
public sealed record DecisionContext(DateTime Now, string? Channel = null, IReadOnlyDictionary<string, string>? Keys = null);

// A squad's weight for a context: when the context's Key holds Value, plays of Objective (null: every play) score
// × Weight. Several matching rules multiply.
public sealed record ContextWeightRule(string Key, string Value, Objective? Objective, double Weight);

// The squad's business levers: per play, else per objective, else 1.
public sealed record BusinessLevers(IReadOnlyDictionary<string, double> PerPlay, IReadOnlyDictionary<Objective, double> PerObjective)
{
    public static readonly BusinessLevers None = new(new Dictionary<string, double>(), new Dictionary<Objective, double>());

    public double For(Play play, Objective? objective) =>
        PerPlay.TryGetValue(play.Id, out var lever) ? lever
        : objective is { } o && PerObjective.TryGetValue(o, out var byObjective) ? byObjective : 1;
}

// Value = the offer's expected margin (the play's expected value less the offer's cost per redemption, never below 0)
// + CustomerValueShare × the customer's predicted 12-month value (0 when not predicted). The default share, 10%, says
// a message is worth a tenth of what the customer is expected to bring in a year beyond its own margin.
public sealed record EngineSettings(
    ContactCaps Caps,
    QuietHours? Quiet,
    CappedHandling Handling,
    TimeZoneInfo StoreZone,
    IReadOnlyList<ContextWeightRule> ContextWeights,
    BusinessLevers Levers,
    double CustomerValueShare = 0.1)
{
    // The order channels are tried in after the customer's preferred one.
    public static readonly IReadOnlyList<string> ChannelOrder = [PlayChannels.Email, PlayChannels.App, PlayChannels.Push, PlayChannels.Sms];
}

// The plays in play, their use cases' objectives, and the propensity model (past outcomes per play and segment).
public sealed record PlaySet(IReadOnlyList<Play> Plays, IReadOnlyDictionary<string, Objective> ObjectiveOfPlay, PropensityModel Propensity)
{
    public Objective? ObjectiveOf(string playId) => ObjectiveOfPlay.TryGetValue(playId, out var o) ? o : null;

    private IReadOnlySet<string>? _servicePlays;

    // The plays whose messages are service messages (objective service); worked out once per set, not per customer.
    public IReadOnlySet<string> ServicePlays => _servicePlays ??=
        Plays.Where(p => ObjectiveOf(p.Id) == Objective.Service).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);

    private KeptVerdicts[]? _kept;

    // A copy (with) keeps none of the caches worked out for the original's plays.
    private PlaySet(PlaySet original)
    {
        Plays = original.Plays;
        ObjectiveOfPlay = original.ObjectiveOfPlay;
        Propensity = original.Propensity;
    }

    // The engine's fast path keeps each play's verdicts that fit every customer here, beside the plays (by index).
    internal KeptVerdicts KeptVerdictsOf(int index)
    {
        var kept = _kept ?? Interlocked.CompareExchange(ref _kept, Plays.Select(_ => new KeptVerdicts()).ToArray(), null) ?? _kept!;
        return kept[index];
    }
}

// Outcomes per play: the prior from its cells and each cell's outcomes. A cell is a segment (its id) or EveryoneElse
// (the sends to customers in none of the campaign's segments). A customer's cell is the first (by segment id) of the
// play's audience segments the customer belongs to that has outcomes; for a play for everyone, the first (by id) of the
// customer's segments with outcomes, else EveryoneElse; with none of these, the play's prior mean.
public sealed class PropensityModel(IReadOnlyDictionary<string, IReadOnlyList<OutcomeCell>> outcomesByPlay)
{
    public const string EveryoneElse = "*";

    public bool IsEmpty => outcomesByPlay.Count == 0;

    public static readonly PropensityModel Empty = new(new Dictionary<string, IReadOnlyList<OutcomeCell>>());

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PropensityPrior> _priors = new(StringComparer.Ordinal);

    public (double Propensity, string Source) For(Play play, IReadOnlySet<long> customerSegments)
    {
        var cells = outcomesByPlay.TryGetValue(play.Id, out var list) ? list : [];
        var prior = _priors.GetOrAdd(play.Id, static (_, c) => Propensity.Prior(c), cells);
        OutcomeCell? cell = null;
        if (cells.Count > 0)
        {
            var candidates = play.Audience.SegmentIds.Count > 0 ? play.Audience.SegmentIds.Where(customerSegments.Contains) : customerSegments;
            foreach (var id in candidates.Order())
            {
                var key = id.ToString(CultureInfo.InvariantCulture);
                if (cells.FirstOrDefault(c => c.Segment == key) is { } hit)
                {
                    cell = hit;
                    break;
                }
            }
            if (cell is null && play.Audience.SegmentIds.Count == 0) cell = cells.FirstOrDefault(c => c.Segment == EveryoneElse);
        }
        var segment = cell?.Segment == EveryoneElse ? "customers in no campaign segment" : $"segment {cell?.Segment}";
        var estimate = Propensity.Estimate(prior, cell);
        var source = cell is null
            ? $"prior mean {Show(prior.Mean)} ({prior.Source})"
            : $"{segment}: {cell.Conversions:N0} of {cell.Sends:N0} shrunk toward {Show(prior.Mean)} with strength {prior.Strength:0.#}";
        return (estimate, source);
    }

    private static string Show(double rate) => rate.ToString("0.####", CultureInfo.InvariantCulture);
}

// One play on one channel: the playbook's verdict, then the engine's own checks (the contact point's data quality,
// the touchpoint), and the score factors when it is a candidate.
public sealed record PlayChannelVerdict(string PlayId, string Channel, EligibilityVerdict Playbook, string? EngineBlock,
    ScoreFactors? Factors, string? PropensitySource)
{
    public bool Eligible => Playbook.Eligible && EngineBlock is null;

    public string? FirstBlocking => EngineBlock ?? (Playbook.FirstBlocking is { } r ? $"{r.Rule} ({r.CustomerValue})" : null);
}

// Ranked: the eligible candidates by score (ties: play id, then channel); BestPerChannel: the top candidate of each
// channel before the contact policy; Decision: what the contact policy chose, with its trace.
public sealed record DecisionResult(string CustomerId, IReadOnlyList<PlayChannelVerdict> Verdicts, IReadOnlyList<Candidate> Ranked,
    IReadOnlyDictionary<string, Candidate> BestPerChannel, IReadOnlyList<string> ChannelOrder, Decision Decision);

// The decision engine, pure: one customer, the context and the plays in; the ranked eligible plays and the chosen
// message with a full trace out. Eligibility is the playbook's (trigger, audience, exclusions, consent, cooldown, mutual
// exclusion); the engine adds the contact point's data quality and the touchpoint, scores each candidate
// (propensity × value × context weight × business lever) and leaves caps, quiet hours and the preferred channel to
// ContactPolicy. UnreachableContactPoints: channel → why its contact point fails data quality (an invalid e-mail, a
// phone that cannot receive SMS). ServicePlays: the plays whose messages are service messages (objective service).
public static class DecisionEngine
{
    public static DecisionResult Decide(PlaybookCustomer customer, DecisionContext context, PlaySet plays, EngineSettings settings,
        IReadOnlyDictionary<string, string> unreachableContactPoints, bool fullTrace = true)
    {
        var snapshot = customer.Snapshot;
        var verdicts = new List<PlayChannelVerdict>(plays.Plays.Count * 2);
        var candidates = new List<Candidate>();
        // The engine's block of each channel whose contact point fails data quality, worded once per customer.
        var blocks = unreachableContactPoints.Count == 0 ? null
            : unreachableContactPoints.ToDictionary(kv => kv.Key, kv => $"the {kv.Key} contact point fails data quality: {kv.Value}", StringComparer.Ordinal);
        for (var p = 0; p < plays.Plays.Count; p++)
        {
            var play = plays.Plays[p];
            var objective = plays.ObjectiveOf(play.Id);
            for (var ch = 0; ch < play.Channels.Count; ch++)
            {
                var channel = play.Channels[ch];
                if (context.Channel is not null && channel != context.Channel) continue;
                var verdict = Eligibility.Evaluate(play, channel, customer, settings.StoreZone, false, !fullTrace, fullTrace ? null : plays.KeptVerdictsOf(p), out var kept);
                var block = blocks is not null && blocks.TryGetValue(channel, out var why) ? why : null;
                if (!verdict.Eligible || block is not null)
                {
                    // A verdict kept for the play and channel is wrapped once, not once per customer.
                    verdicts.Add(kept is not null && block is null
                        ? (PlayChannelVerdict)(kept.Wrapped ??= new PlayChannelVerdict(play.Id, channel, verdict, null, null, null))
                        : new(play.Id, channel, verdict, block, null, null));
                    continue;
                }
                var (propensity, source) = plays.Propensity.For(play, snapshot.SegmentIds);
                var factors = new ScoreFactors(propensity, Value(play, snapshot, settings), ContextWeight(objective, context, settings),
                    settings.Levers.For(play, objective));
                verdicts.Add(new(play.Id, channel, verdict, null, factors, source));
                candidates.Add(new Candidate(play.Id, channel, factors, objective == Objective.Service));
            }
        }

        var order = ChannelOrder(snapshot, unreachableContactPoints);
        var servicePlays = plays.ServicePlays;
        var history = snapshot.Contacts.Select(c => new Contact(c.At, c.Channel, servicePlays.Contains(c.PlayId))).ToList();
        var decision = ContactPolicy.Decide(new DecisionRequest(context.Now, customer.Zone, order, candidates, history,
            settings.Caps, settings.Quiet, settings.Handling));
        var ranked = candidates.OrderByDescending(c => c.Factors.Score).ThenBy(c => c.PlayId, StringComparer.Ordinal)
            .ThenBy(c => c.Channel, StringComparer.Ordinal).ToList();
        var best = ranked.GroupBy(c => c.Channel, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return new DecisionResult(snapshot.CustomerId, verdicts, ranked, best, order, decision);
    }

    public static double Value(Play play, CustomerSnapshot snapshot, EngineSettings settings) =>
        Math.Max(0, play.ExpectedValue - (play.Offer.CostPerRedemption ?? 0))
        + settings.CustomerValueShare * Math.Max(0, snapshot.Features?.PredictedValue12m ?? 0);

    public static double ContextWeight(Objective? objective, DecisionContext context, EngineSettings settings)
    {
        var weight = 1.0;
        if (context.Keys is null) return weight;
        foreach (var rule in settings.ContextWeights)
        {
            if (context.Keys.TryGetValue(rule.Key, out var value) && value == rule.Value && (rule.Objective is null || rule.Objective == objective))
                weight *= rule.Weight;
        }
        return weight;
    }

    // The customer's preferred channel first, then EngineSettings.ChannelOrder; only channels with consent granted and
    // a contact point that passes data quality.
    public static IReadOnlyList<string> ChannelOrder(CustomerSnapshot snapshot, IReadOnlyDictionary<string, string> unreachable)
    {
        var preferred = snapshot.Profile.PreferredChannel;
        var all = EngineSettings.ChannelOrder;
        var order = new List<string>(all.Count);
        if (preferred is not null && all.Contains(preferred) && Open(preferred)) order.Add(preferred);
        for (var i = 0; i < all.Count; i++)
            if (all[i] != preferred && Open(all[i])) order.Add(all[i]);
        return order;

        bool Open(string c) => snapshot.Consents.TryGetValue(c, out var consent) && consent.Status == "granted" && !unreachable.ContainsKey(c);
    }
}
