using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Workbench.Core.Analytics.CustomerFeatures;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Playbook;

public enum ReasonKind { Status, Channel, Content, Consent, Offer, Trigger, Segment, Condition, Exclusion, Context, Cooldown, ExclusionGroup }

// One rule of the verdict, with the customer's own value beside it.
public sealed record EligibilityReason(ReasonKind Kind, bool Allowed, string Rule, string CustomerValue);

public sealed record EligibilityVerdict(string PlayId, string Channel, IReadOnlyList<EligibilityReason> Reasons, bool Complete)
{
    public bool Eligible => FirstBlocking is null;

    public EligibilityReason? FirstBlocking
    {
        get
        {
            for (var i = 0; i < Reasons.Count; i++)
                if (!Reasons[i].Allowed) return Reasons[i];
            return null;
        }
    }
}

// Whether a play may reach a customer on a channel now, and why. Every rule is listed in a fixed order (status,
// channel, content, consent, offer, trigger, segments, conditions, exclusions, context, cooldown, exclusion group);
// the first blocking one is the first that failed in that order. With stopAtFirstBlocking the list ends there
// (the decision engine's fast path; Complete says which).
// Conventions: consent must be recorded as granted (none recorded = not eligible); the cooldown ends exactly
// CooldownDays × 24 h after the last contact with the play (that instant is allowed again); the exclusion group's
// week is the ISO week (Monday to Sunday) in the customer's time zone, and only contacts by other plays of the group count.
public static class Eligibility
{
    public static EligibilityVerdict Evaluate(Play play, string channel, PlaybookCustomer c, TimeZoneInfo storeZone, bool stopAtFirstBlocking = false,
        bool blockingOnly = false) => Evaluate(play, channel, c, storeZone, stopAtFirstBlocking, blockingOnly, out _);

    // Shared: the verdict is one kept for the play and channel (blockingOnly: eligible, or blocked by a rule whose text
    // depends on the play and channel alone), the same instance for every customer it holds for.
    internal static EligibilityVerdict Evaluate(Play play, string channel, PlaybookCustomer c, TimeZoneInfo storeZone, bool stopAtFirstBlocking,
        bool blockingOnly, out bool shared)
    {
        var verdict = Evaluate(play, channel, c, storeZone, stopAtFirstBlocking, blockingOnly, blockingOnly ? Shared.GetValue(play, static _ => new()) : null, out var kept);
        shared = kept is not null;
        return verdict;
    }

    // The fast path with the play's kept verdicts given by the caller (the decision engine keeps them beside its plays):
    // kept is the entry of a kept verdict, null for a verdict made for this customer alone.
    internal static EligibilityVerdict Evaluate(Play play, string channel, PlaybookCustomer c, TimeZoneInfo storeZone, bool stopAtFirstBlocking,
        bool blockingOnly, KeptVerdicts? verdicts, out KeptVerdict? kept)
    {
        var add = ReasonList.For(stopAtFirstBlocking || blockingOnly, blockingOnly, blockingOnly ? verdicts : null, channel);
        Rules(play, channel, c, storeZone, add, out var complete);
        var verdict = add.Verdict(play.Id, complete);
        kept = add.Kept;
        return verdict;
    }

    // The verdicts kept per play for callers that keep none; a play is immutable, so they hold while the play is in use.
    private static readonly ConditionalWeakTable<Play, KeptVerdicts> Shared = new();

    // Sites: where a rule is checked, numbered so a kept verdict is found without formatting its text. 0: a rule whose
    // text depends on the customer or the moment (never kept).
    private const int StatusSite = 1, ChannelSite = 2, ContentSite = 3, ConsentSite = 4, OfferValidSite = 5, MembersSite = 6, TriggerSite = 7,
        SegmentSite = 8, WholeRuleSite = 9, WeekdaySite = 10, DaypartSite = 11, HomeStoreSite = 12, RegionSite = 13, CooldownSite = 14,
        ConditionSites = 1_000, GroupSites = 2_000, ExclusionSites = 3_000;

    // Whether every rule holds; complete: the list holds every rule (false when it stopped at the first blocking one).
    private static bool Rules(Play play, string channel, PlaybookCustomer c, TimeZoneInfo storeZone, ReasonList add, out bool complete)
    {
        complete = false;
        if (!add.Add(ReasonKind.Status, play.Status == PlayStatus.Active, StatusSite, "the play is active", $"status {play.Status}")) return false;
        if (!add.Add(ReasonKind.Channel, play.Channels.Contains(channel), ChannelSite, $"channel allowed ({Show.List(play.Channels)})", channel)) return false;
        var content = play.ContentFor(channel);
        if (!add.Add(ReasonKind.Content, content is { Variants.Count: > 0 }, ContentSite, $"content for {channel}",
                $"{(content is null ? "none" : content.Variants.Count + " variant(s)")}")) return false;
        if (!Consent(channel, c, add)) return false;
        if (!OfferRules(play.Offer, c, add)) return false;

        var trigger = c.TriggerOutcome(play.Trigger, storeZone, values: add.KeepsValue);
        if (!add.Add(ReasonKind.Trigger, trigger.Fired, TriggerSite, trigger.Rule, trigger.CustomerValue)) return false;
        if (!Segments(play.Audience, c, add)) return false;
        if (play.Audience.Conditions is { } rule && !Conditions(rule, c, add)) return false;
        for (var i = 0; i < play.Audience.Exclusions.Count; i++)
            if (!Exclude(play.Audience.Exclusions[i], Site(ExclusionSites, i), play.Offer, c, add)) return false;
        if (play.Audience.Context is { } context && !Context(context, c, add)) return false;
        if (!Cooldown(play, c, add)) return false;
        if (play.ExclusionGroup is { Length: > 0 } group && !Group(play, group, c, add)) return false;
        complete = true;
        return add.AllAllowed;
    }

    private static bool Consent(string channel, PlaybookCustomer c, ReasonList add)
    {
        return c.Snapshot.Consents.TryGetValue(channel, out var consent)
            ? add.Add(ReasonKind.Consent, consent.Status == "granted", ConsentSite, $"consent for {channel} granted", $"{consent.Status} on {Show.Day(DateOnly.FromDateTime(consent.UpdatedAt))}")
            : add.Add(ReasonKind.Consent, false, ConsentSite, $"consent for {channel} granted", "no consent recorded");
    }

    private static bool OfferRules(Offer offer, PlaybookCustomer c, ReasonList add)
    {
        if (offer.ValidFrom is not null || offer.ValidTo is not null)
        {
            var valid = (offer.ValidFrom is null || c.Today >= offer.ValidFrom) && (offer.ValidTo is null || c.Today <= offer.ValidTo);
            if (!add.Add(ReasonKind.Offer, valid, OfferValidSite, $"offer valid {(offer.ValidFrom is { } f ? Show.Day(f) : "any time")} to {(offer.ValidTo is { } t ? Show.Day(t) : "open")}", $"today is {Show.Day(c.Today)} ({c.ZoneName})")) return false;
        }
        if (offer.MembersOnly)
        {
            var tier = c.Snapshot.Profile.LoyaltyTier;
            if (!add.Add(ReasonKind.Offer, !string.IsNullOrEmpty(tier), MembersSite, "members only (a loyalty tier)", string.IsNullOrEmpty(tier) ? "no loyalty tier" : $"tier {tier}")) return false;
        }
        return true;
    }

    private static bool Segments(Audience audience, PlaybookCustomer c, ReasonList add)
    {
        var ids = audience.SegmentIds;
        if (ids.Count == 0) return add.Add(ReasonKind.Segment, true, 0, "segments: none required", "—");
        var member = 0;
        for (var i = 0; i < ids.Count; i++)
            if (c.Snapshot.SegmentIds.Contains(ids[i])) member++;
        var ok = audience.Match == SegmentMatch.All ? member == ids.Count : member > 0;
        return add.Add(ReasonKind.Segment, ok, SegmentSite, $"member of {(audience.Match == SegmentMatch.All ? "all" : "any")} of segments {Show.List(ids)}",
            $"{(c.Snapshot.SegmentIds.Count == 0 ? "in no saved segment" : "in segments " + Show.List(c.Snapshot.SegmentIds.Order()))}");
    }

    // An AND root lists each of its parts; any other root is one reason for the whole rule.
    private static bool Conditions(RuleGroup rule, PlaybookCustomer c, ReasonList add)
    {
        var facts = c.Facts;
        if (rule.Op == RuleOps.And && !rule.Not)
        {
            for (var i = 0; i < rule.Conditions.Count; i++)
                if (rule.Conditions[i] is var cond && !add.Add(ReasonKind.Condition, RuleEvaluator.Matches(cond, facts, c.Now), Site(ConditionSites, i), $"{RuleText.Condition(cond)}", $"{RuleText.Value(cond, facts, c.Now)}")) return false;
            for (var g = 0; g < rule.Groups.Count; g++)
                if (rule.Groups[g] is var group && !add.Add(ReasonKind.Condition, RuleEvaluator.Matches(group, facts, c.Now), Site(GroupSites, g), $"{RuleText.Group(group)}", $"{RuleText.Values(group, facts, c.Now)}")) return false;
            return true;
        }
        return add.Add(ReasonKind.Condition, RuleEvaluator.Matches(rule, facts, c.Now), WholeRuleSite, $"{RuleText.Group(rule)}", $"{RuleText.Values(rule, facts, c.Now)}");
    }

    private static int Site(int first, int index) => index < 1_000 ? first + index : 0;

    private static bool Exclude(Exclusion exclusion, int site, Offer offer, PlaybookCustomer c, ReasonList add)
    {
        switch (exclusion)
        {
            case RecentCategoryPurchaseExclusion r:
            {
                var category = r.Category ?? offer.Category;
                string Rule() => $"not bought {category ?? "the promoted category"} in the last {r.Days} days";
                if (category is null) return add.Add(ReasonKind.Exclusion, true, site, $"{Rule()}", "the offer promotes no category");
                var since = c.Now.AddDays(-r.Days);
                if (!c.CategoriesLastBought.TryGetValue(category, out var last)) return add.Add(ReasonKind.Exclusion, true, site, $"{Rule()}", $"never bought {category}");
                return add.Add(ReasonKind.Exclusion, last < since, site, $"{Rule()}", $"last bought {category} {Show.Time(last)} ({Show.Span(c.Now - last)} ago)");
            }
            case HabitualBuyerExclusion h:
            {
                var category = h.Category ?? offer.Category;
                string Rule() => $"no discount for a habitual buyer of {category ?? "the promoted category"} (bought in ≥ {h.MinWeeks} of the last {h.WindowWeeks} weeks)";
                if (!offer.IsDiscount) return add.Add(ReasonKind.Exclusion, true, site, $"{Rule()}", $"the offer is {offer.Kind}, not a discount");
                if (category is null) return add.Add(ReasonKind.Exclusion, true, site, $"{Rule()}", "the offer promotes no category");
                var weeks = WeeksBought(c, category, h.WindowWeeks);
                return add.Add(ReasonKind.Exclusion, weeks < h.MinWeeks, site, $"{Rule()}", $"bought {category} in {weeks} of the last {h.WindowWeeks} weeks");
            }
            default:
                throw new ArgumentException($"unknown exclusion {exclusion.GetType().Name}");
        }
    }

    // Rolling 7-day blocks ending now: block i holds the purchases made between 7i and 7i + 7 days ago (7i included).
    public static int WeeksBought(PlaybookCustomer c, string category, int windowWeeks)
    {
        Span<bool> seen = windowWeeks <= 520 ? stackalloc bool[windowWeeks] : new bool[windowWeeks];
        foreach (var line in c.Snapshot.Purchases)
        {
            if (line.Quantity <= 0 || line.Category != category || line.At > c.Now) continue;
            var block = (int)((c.Now - line.At).Ticks / TimeSpan.TicksPerDay / 7);
            if (block < windowWeeks) seen[block] = true;
        }
        var count = 0;
        foreach (var s in seen) if (s) count++;
        return count;
    }

    private static bool Context(ContextConditions ctx, PlaybookCustomer c, ReasonList add)
    {
        var local = c.LocalNow;
        if (ctx.Weekdays is { Count: > 0 } days &&
            !add.Add(ReasonKind.Context, days.Contains(local.DayOfWeek), WeekdaySite, $"weekday {Show.List(days)}", $"{local.DayOfWeek} ({c.ZoneName})")) return false;
        if (ctx.Dayparts is { Count: > 0 } parts)
        {
            var part = Dayparts.Of(local.Hour);
            if (!add.Add(ReasonKind.Context, parts.Contains(part), DaypartSite, $"daypart {Show.List(parts)}", $"{part} ({local:HH:mm} {c.ZoneName})")) return false;
        }
        var p = c.Snapshot.Profile;
        if (ctx.HomeStores is { Count: > 0 } stores &&
            !add.Add(ReasonKind.Context, p.HomeStore is not null && stores.Contains(p.HomeStore), HomeStoreSite, $"home store {Show.List(stores)}", p.HomeStore ?? "no home store")) return false;
        if (ctx.Regions is { Count: > 0 } regions &&
            !add.Add(ReasonKind.Context, p.Region is not null && regions.Contains(p.Region), RegionSite, $"region {Show.List(regions)}", p.Region ?? "no region")) return false;
        return true;
    }

    private static bool Cooldown(Play play, PlaybookCustomer c, ReasonList add)
    {
        DateTime? last = null;
        foreach (var x in c.Snapshot.Contacts)
            if (x.PlayId == play.Id && x.At <= c.Now && (last is null || x.At > last)) last = x.At;
        if (last is null) return add.Add(ReasonKind.Cooldown, true, CooldownSite, $"cooldown {play.CooldownDays} days after the last contact with this play", "never contacted with this play");
        var ends = last.Value.AddDays(play.CooldownDays);
        return add.Add(ReasonKind.Cooldown, c.Now >= ends, CooldownSite, $"cooldown {play.CooldownDays} days after the last contact with this play", $"last contact {Show.Time(last.Value)}; cooldown {(c.Now >= ends ? "ended" : "ends")} {Show.Time(ends)}");
    }

    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static bool Group(Play play, string group, PlaybookCustomer c, ReasonList add)
    {
        var start = WeekStart(c.Today);
        string Rule() => $"no other play of group '{group}' this week (from Monday {Show.Day(start)}, {c.ZoneName})";
        PlayContact? hit = null;
        var contacts = c.Snapshot.Contacts;
        for (var i = 0; i < contacts.Count; i++)
        {
            var x = contacts[i];
            if (x.ExclusionGroup == group && x.PlayId != play.Id && x.At <= c.Now && (hit is null || x.At > hit.At) && c.ContactLocalDate(i) >= start) hit = x;
        }
        return hit is null
            ? add.Add(ReasonKind.ExclusionGroup, true, 0, $"{Rule()}", "none this week")
            : add.Add(ReasonKind.ExclusionGroup, false, 0, $"{Rule()}", $"play {hit.PlayId} by {hit.Channel} at {Show.Time(hit.At)}");
    }
}

// The reasons of one verdict. With blockingOnly (the engine's fast path, which also stops at the first blocking rule) a
// rule that holds is not kept and no text of it is formatted: only the first blocking rule is kept, without the
// customer's value (a campaign run counts the rules that block, never shows one customer's value). Then the verdict
// depends on the play, the channel and the blocking rule's site alone when that rule's text does (a site other than 0):
// it is kept in Shared and found there before any text is formatted, so most customers' verdicts cost nothing.
// The fast path's kept verdicts of one play: (channel, site) → the verdict.
internal sealed class KeptVerdicts
{
    public ConcurrentDictionary<(string Channel, int Site), KeptVerdict> ByRule { get; } = new();
}

// A kept verdict, and what the decision engine wraps it in (made once, by the first decision that needs it).
internal sealed class KeptVerdict(EligibilityVerdict verdict)
{
    public EligibilityVerdict Verdict { get; } = verdict;

    public object? Wrapped { get; set; }
}

// The fast path's list is one per thread, reset for each verdict (Evaluate never runs inside another on one thread).
internal sealed class ReasonList
{
    private const int EligibleSite = -1;
    private bool stopAtFirstBlocking, blockingOnly;
    private KeptVerdicts? shared;
    private string channel = "";
    private List<EligibilityReason>? _all;
    private EligibilityReason? _blocking;
    private int _blockingSite;
    private KeptVerdict? _found;

    [ThreadStatic] private static ReasonList? _fast;

    private ReasonList()
    {
    }

    public static ReasonList For(bool stopAtFirstBlocking, bool blockingOnly, KeptVerdicts? shared,
        string channel)
    {
        var list = blockingOnly ? _fast ??= new ReasonList() : new ReasonList();
        (list.stopAtFirstBlocking, list.blockingOnly, list.shared, list.channel) = (stopAtFirstBlocking, blockingOnly, shared, channel);
        (list._all, list._blocking, list._blockingSite, list._found, list.AllAllowed, list.Kept) = (blockingOnly ? null : new(16), null, 0, null, true, null);
        return list;
    }

    public bool KeepsValue => !blockingOnly;

    public bool AllAllowed { get; private set; }

    public KeptVerdict? Kept { get; private set; }

    // Whether the rule's text is formatted: a rule that holds only when every rule is kept; one that blocks unless its
    // verdict is already kept.
    public bool KeepsRule(bool allowed, int site)
    {
        if (allowed) return !blockingOnly;
        if (shared is not null && site != 0 && shared.ByRule.TryGetValue((channel, site), out var found))
        {
            _found = found;
            return false;
        }
        return true;
    }

    // Whether the evaluation goes on.
    public bool Add(ReasonKind kind, bool allowed, int site, [InterpolatedStringHandlerArgument("", "allowed", "site")] ReasonText rule,
        [InterpolatedStringHandlerArgument("")] ReasonText value)
    {
        if (!allowed) AllAllowed = false;
        if (allowed && blockingOnly) return true;
        if (!allowed && _found is null && shared is not null) KeepsRule(false, site); // a rule given as plain text
        if (_found is not null) return false;
        var reason = new EligibilityReason(kind, allowed, rule.Text, KeepsValue ? value.Text : "");
        if (_all is not null) _all.Add(reason);
        else
        {
            _blocking = reason;
            _blockingSite = site;
        }
        return allowed || !stopAtFirstBlocking;
    }

    public EligibilityVerdict Verdict(string playId, bool complete)
    {
        if (_found is not null)
        {
            Kept = _found;
            return _found.Verdict;
        }
        if (_all is not null) return new(playId, channel, _all, complete);
        var site = _blocking is null ? EligibleSite : _blockingSite;
        if (shared is not null && site != 0 && shared.ByRule.TryGetValue((channel, site), out var known))
        {
            Kept = known;
            return known.Verdict;
        }
        var verdict = new EligibilityVerdict(playId, channel, _blocking is null ? [] : [_blocking], complete);
        if (shared is null || site == 0) return verdict;
        Kept = shared.ByRule.GetOrAdd((channel, site), new KeptVerdict(verdict));
        return Kept.Verdict;
    }
}

// A reason's text, formatted only when the list keeps it: a rule's when the list keeps the reason (the constructor with
// allowed), a customer's value when the list keeps values.
[InterpolatedStringHandler]
internal ref struct ReasonText
{
    private DefaultInterpolatedStringHandler _text;
    private readonly bool _formatting;
    private string? _plain;

    public ReasonText(int literalLength, int formattedCount, ReasonList list, bool allowed, int site, out bool shouldAppend)
        : this(literalLength, formattedCount, list.KeepsRule(allowed, site), out shouldAppend)
    {
    }

    public ReasonText(int literalLength, int formattedCount, ReasonList list, out bool shouldAppend)
        : this(literalLength, formattedCount, list.KeepsValue, out shouldAppend)
    {
    }

    private ReasonText(int literalLength, int formattedCount, bool formatting, out bool shouldAppend)
    {
        _formatting = shouldAppend = formatting;
        _text = formatting ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public static implicit operator ReasonText(string text) => new() { _plain = text };

    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _text.AppendFormatted(value, format);

    public string Text => _plain ?? (_formatting ? _text.ToStringAndClear() : "");
}
