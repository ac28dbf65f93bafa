using System.Globalization;

namespace Workbench.Core.Decisioning;

// The contact policy of one decision for one customer, pure. Each play goes out on the first of its channels, in the
// customer's order (preferred first), that the caps and quiet hours leave open; among the plays that can go out the
// highest score wins (ties: play id). The best play overall (by its score on its first channel) may be stopped on
// every channel: then the campaign's handling decides — Substitute sends the best play that can go out, Drop sends
// nothing, Defer sends the best play at the first moment its first channel opens. Quiet hours and caps do not stop
// service messages when the caps exempt them; they count towards the caps when ServiceCounted says so.
public static class ContactPolicy
{
    public static Decision Decide(DecisionRequest request)
    {
        var rank = request.ChannelOrder.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var stops = new StopsNow(request);
        var trace = new List<TraceLine>();
        foreach (var c in request.Candidates.Where(c => !rank.ContainsKey(c.Channel)))
            trace.Add(new(c.PlayId, c.Channel, c.Factors, CandidateOutcome.Unreachable, "the customer cannot be reached on this channel"));

        var plays = request.Candidates.Where(c => rank.ContainsKey(c.Channel))
            .GroupBy(c => c.PlayId, StringComparer.Ordinal)
            .Select(g => g.OrderBy(c => rank[c.Channel]).ToList())
            .Select(options => (Options: options, Open: options.FirstOrDefault(o => stops.For(o) is null)))
            .ToList();
        if (plays.Count == 0) return new(null, null, trace, null);

        var best = plays.OrderByDescending(p => p.Options[0].Factors.Score).ThenBy(p => p.Options[0].PlayId, StringComparer.Ordinal).First();
        var sendable = plays.Where(p => p.Open is not null)
            .OrderByDescending(p => p.Open!.Factors.Score).ThenBy(p => p.Open!.PlayId, StringComparer.Ordinal).ToList();
        Candidate? chosen;
        DateTime? at = request.Now;
        Candidate? lost = null;
        if (best.Open is not null || request.Handling == CappedHandling.Substitute)
        {
            chosen = sendable.FirstOrDefault().Open;
            if (best.Open is null) lost = best.Options[0];
        }
        else if (request.Handling == CappedHandling.Defer)
        {
            chosen = best.Options[0];
            at = NextOpen(request, chosen);
            if (at is null) (chosen, lost) = (null, best.Options[0]);
        }
        else
        {
            (chosen, at, lost) = (null, null, best.Options[0]);
        }
        if (chosen is null) at = null;

        foreach (var (options, open) in plays)
        {
            foreach (var option in options) trace.Add(Explain(request, stops.For(option), option, open, chosen, at, lost));
        }
        return new(chosen, at, trace, lost);
    }

    private static TraceLine Explain(DecisionRequest request, (CandidateOutcome Outcome, string Reason)? stopped, Candidate option, Candidate? open,
        Candidate? chosen, DateTime? at, Candidate? lost)
    {
        TraceLine Line(CandidateOutcome outcome, string reason) => new(option.PlayId, option.Channel, option.Factors, outcome, reason);
        if (option == chosen)
            return at > request.Now
                ? Line(CandidateOutcome.Deferred, $"{stopped?.Reason}; deferred to {Local(request, at.Value)}, the first moment the channel is open")
                : Line(CandidateOutcome.Chosen, $"sent on {option.Channel}");
        if (stopped is { } s)
            return option == lost && request.Handling == CappedHandling.Drop
                ? Line(CandidateOutcome.Dropped, $"{s.Reason}; dropped: the campaign sends nothing in its place")
                : Line(s.Outcome, s.Reason);
        if (option != open) return Line(CandidateOutcome.OtherChannelUsed, $"the play goes out on {open!.Channel}, earlier in the customer's channel order");
        return chosen is null
            ? Line(CandidateOutcome.LowerScore, "not sent: the best play was stopped and the campaign sends nothing in its place")
            : Line(CandidateOutcome.LowerScore, $"score {Score(option)} below {Score(chosen)} of {chosen.PlayId}");
    }

    private static string Score(Candidate c) => c.Factors.Score.ToString("0.####", CultureInfo.InvariantCulture);

    // What stops a candidate now depends on its channel and whether it is an exempt service message alone: worked out
    // once per channel in a decision, not once per candidate (quiet hours and the counted history are the same for all).
    private sealed class StopsNow(DecisionRequest request)
    {
        private readonly Dictionary<(string Channel, bool Exempt), (CandidateOutcome Outcome, string Reason)?> _known = [];

        public (CandidateOutcome Outcome, string Reason)? For(Candidate c)
        {
            var key = (c.Channel, c.Service && request.Caps.ServiceExempt);
            if (!_known.TryGetValue(key, out var stopped)) _known[key] = stopped = Stopped(request, c, request.Now);
            return stopped;
        }
    }

    private static (CandidateOutcome Outcome, string Reason)? Stopped(DecisionRequest request, Candidate c, DateTime at)
    {
        if (c.Service && request.Caps.ServiceExempt) return null;
        if (request.Quiet is { } quiet && quiet.Contains(TimeOnly.FromDateTime(ToLocal(request, at))))
            return (CandidateOutcome.QuietHours, $"quiet hours {quiet.Start:HH\\:mm}–{quiet.End:HH\\:mm} on the customer's clock ({Local(request, at)})");
        var caps = request.Caps;
        var counted = Counted(request, at).ToList();
        var days = caps.Window.TotalDays.ToString("0.##", CultureInfo.InvariantCulture);
        if (caps.PerChannel.TryGetValue(c.Channel, out var cap) && counted.Count(x => x.Channel == c.Channel) >= cap)
            return (CandidateOutcome.Capped, $"{counted.Count(x => x.Channel == c.Channel)} of at most {cap} {c.Channel} message(s) in {days} days");
        if (caps.Total is { } total && counted.Count >= total)
            return (CandidateOutcome.Capped, $"{counted.Count} of at most {total} message(s) on all channels in {days} days");
        return null;
    }

    private static IEnumerable<Contact> Counted(DecisionRequest request, DateTime at) => request.History
        .Where(x => x.At > at - request.Caps.Window && x.At <= at && (request.Caps.ServiceCounted || !x.Service));

    // The first moment at or after now when nothing stops the candidate: past the quiet hours and past the contacts
    // that fill a cap leaving the window. Each step only moves forward; null when nothing opens within a year.
    private static DateTime? NextOpen(DecisionRequest request, Candidate c)
    {
        var at = request.Now;
        for (var step = 0; step < 64 && at < request.Now.AddYears(1); step++)
        {
            var stopped = Stopped(request, c, at);
            if (stopped is null) return at;
            if (stopped.Value.Outcome == CandidateOutcome.QuietHours)
            {
                at = QuietEnd(request, at);
                continue;
            }
            var caps = request.Caps;
            var counted = Counted(request, at).OrderBy(x => x.At).ToList();
            var onChannel = counted.Where(x => x.Channel == c.Channel).ToList();
            var release = at;
            if (caps.PerChannel.TryGetValue(c.Channel, out var cap) && onChannel.Count >= cap)
                release = Max(release, onChannel[onChannel.Count - cap].At + caps.Window);
            if (caps.Total is { } total && counted.Count >= total)
                release = Max(release, counted[counted.Count - total].At + caps.Window);
            at = release > at ? release : at.AddMinutes(1);
        }
        return null;
    }

    private static DateTime QuietEnd(DecisionRequest request, DateTime at)
    {
        var local = ToLocal(request, at);
        var end = local.Date + request.Quiet!.End.ToTimeSpan();
        if (end <= local) end = end.AddDays(1);
        // An end inside the hour the clocks skip (spring forward) is taken an hour later, when it exists.
        if (request.Zone.IsInvalidTime(end)) end = end.AddHours(1);
        var utc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(end, DateTimeKind.Unspecified), request.Zone);
        return utc > at ? utc : at.AddMinutes(1);
    }

    private static DateTime ToLocal(DecisionRequest request, DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), request.Zone);

    private static string Local(DecisionRequest request, DateTime utc) =>
        ToLocal(request, utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + request.Zone.Id;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
