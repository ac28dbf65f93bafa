namespace Workbench.Core.Decisioning;

// score = propensity × value × context weight × business lever; each factor kept so the trace can show it.
public sealed record ScoreFactors(double Propensity, double Value, double ContextWeight = 1, double Lever = 1)
{
    public double Score => Propensity * Value * ContextWeight * Lever;
}

// A play the playbook found eligible for the customer on one channel (consent, contact-point quality, audience,
// exclusions, cooldown and mutual exclusion already passed). Service messages may be exempt from the caps.
public sealed record Candidate(string PlayId, string Channel, ScoreFactors Factors, bool Service = false);

// A message already sent (or decided earlier in the same run) to the customer.
public sealed record Contact(DateTime At, string Channel, bool Service = false);

// At most PerChannel[channel] messages on a channel and Total on all channels within the rolling Window ending now
// (contacts with At > now − Window count). ServiceExempt: service messages are never stopped by a cap;
// ServiceCounted: they still use up the caps of the messages after them.
public sealed record ContactCaps(TimeSpan Window, IReadOnlyDictionary<string, int> PerChannel, int? Total,
    bool ServiceExempt = true, bool ServiceCounted = true)
{
    public static readonly ContactCaps None = new(TimeSpan.FromDays(7), new Dictionary<string, int>(), null);
}

// No message between Start and End on the customer's own clock; Start after End wraps midnight (21:00–08:00).
public sealed record QuietHours(TimeOnly Start, TimeOnly End)
{
    public bool Contains(TimeOnly local) => Start <= End ? local >= Start && local < End : local >= Start || local < End;
}

// What happens to the best message when the caps or quiet hours stop it: not sent, sent at the next allowed moment,
// or replaced by the best play on a channel that is open. Chosen per campaign.
public enum CappedHandling { Drop, Defer, Substitute }

public enum CandidateOutcome { Chosen, LowerScore, Capped, QuietHours, OtherChannelUsed, Unreachable, Deferred, Dropped }

public sealed record TraceLine(string PlayId, string Channel, ScoreFactors Factors, CandidateOutcome Outcome, string Reason);

// Chosen: the message to send (null when nothing goes out); SendAt: now, or the deferred moment. LostToCap: the best
// play a cap or quiet hours kept from the customer, and its score, so a page can say what the caps cost.
public sealed record Decision(Candidate? Chosen, DateTime? SendAt, IReadOnlyList<TraceLine> Trace, Candidate? LostToCap);

// ChannelOrder: the customer's channels in the order to try them, preferred first, holding only the channels the
// customer can be reached on (consent given, contact point valid).
public sealed record DecisionRequest(DateTime Now, TimeZoneInfo Zone, IReadOnlyList<string> ChannelOrder,
    IReadOnlyList<Candidate> Candidates, IReadOnlyList<Contact> History, ContactCaps Caps, QuietHours? Quiet,
    CappedHandling Handling);
