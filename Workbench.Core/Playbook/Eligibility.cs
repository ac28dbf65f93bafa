using System.Runtime.CompilerServices;
using Workbench.Core.Analytics.CustomerFeatures;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Playbook;

public enum ReasonKind { Status, Channel, Content, Consent, Offer, Trigger, Segment, Condition, Exclusion, Context, Cooldown, ExclusionGroup }

// One rule of the verdict, with the customer's own value beside it.
public sealed record EligibilityReason(ReasonKind Kind, bool Allowed, string Rule, string CustomerValue);

public sealed record EligibilityVerdict(string PlayId, string Channel, IReadOnlyList<EligibilityReason> Reasons, bool Complete)
{
    public bool Eligible => Reasons.All(r => r.Allowed);

    public EligibilityReason? FirstBlocking => Reasons.FirstOrDefault(r => !r.Allowed);
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
        bool blockingOnly = false)
    {
        var add = new ReasonList(stopAtFirstBlocking || blockingOnly, blockingOnly);
        EligibilityVerdict Done(bool complete) => new(play.Id, channel, add.Reasons, complete);

        if (!add.Add(ReasonKind.Status, play.Status == PlayStatus.Active, "the play is active", $"status {play.Status}")) return Done(false);
        if (!add.Add(ReasonKind.Channel, play.Channels.Contains(channel), $"channel allowed ({Show.List(play.Channels)})", channel)) return Done(false);
        var content = play.ContentFor(channel);
        if (!add.Add(ReasonKind.Content, content is { Variants.Count: > 0 }, $"content for {channel}",
                $"{(content is null ? "none" : content.Variants.Count + " variant(s)")}")) return Done(false);
        if (!Consent(channel, c, add)) return Done(false);
        if (!OfferRules(play.Offer, c, add)) return Done(false);

        var trigger = TriggerEvaluator.Evaluate(play.Trigger, c, storeZone);
        if (!add.Add(ReasonKind.Trigger, trigger.Fired, trigger.Rule, trigger.CustomerValue)) return Done(false);
        if (!Segments(play.Audience, c, add)) return Done(false);
        if (play.Audience.Conditions is { } rule && !Conditions(rule, c, add)) return Done(false);
        foreach (var exclusion in play.Audience.Exclusions)
            if (!Exclude(exclusion, play.Offer, c, add)) return Done(false);
        if (play.Audience.Context is { } context && !Context(context, c, add)) return Done(false);
        if (!Cooldown(play, c, add)) return Done(false);
        if (play.ExclusionGroup is { Length: > 0 } group && !Group(play, group, c, add)) return Done(false);
        return Done(true);
    }

    private static bool Consent(string channel, PlaybookCustomer c, ReasonList add)
    {
        return c.Snapshot.Consents.TryGetValue(channel, out var consent)
            ? add.Add(ReasonKind.Consent, consent.Status == "granted", $"consent for {channel} granted", $"{consent.Status} on {Show.Day(DateOnly.FromDateTime(consent.UpdatedAt))}")
            : add.Add(ReasonKind.Consent, false, $"consent for {channel} granted", "no consent recorded");
    }

    private static bool OfferRules(Offer offer, PlaybookCustomer c, ReasonList add)
    {
        if (offer.ValidFrom is not null || offer.ValidTo is not null)
        {
            var valid = (offer.ValidFrom is null || c.Today >= offer.ValidFrom) && (offer.ValidTo is null || c.Today <= offer.ValidTo);
            if (!add.Add(ReasonKind.Offer, valid, $"offer valid {(offer.ValidFrom is { } f ? Show.Day(f) : "any time")} to {(offer.ValidTo is { } t ? Show.Day(t) : "open")}", $"today is {Show.Day(c.Today)} ({c.ZoneName})")) return false;
        }
        if (offer.MembersOnly)
        {
            var tier = c.Snapshot.Profile.LoyaltyTier;
            if (!add.Add(ReasonKind.Offer, !string.IsNullOrEmpty(tier), "members only (a loyalty tier)", string.IsNullOrEmpty(tier) ? "no loyalty tier" : $"tier {tier}")) return false;
        }
        return true;
    }

    private static bool Segments(Audience audience, PlaybookCustomer c, ReasonList add)
    {
        var ids = audience.SegmentIds;
        if (ids.Count == 0) return add.Add(ReasonKind.Segment, true, "segments: none required", "—");
        var member = ids.Where(c.Snapshot.SegmentIds.Contains).ToList();
        var ok = audience.Match == SegmentMatch.All ? member.Count == ids.Count : member.Count > 0;
        return add.Add(ReasonKind.Segment, ok, $"member of {(audience.Match == SegmentMatch.All ? "all" : "any")} of segments {Show.List(ids)}",
            $"{(c.Snapshot.SegmentIds.Count == 0 ? "in no saved segment" : "in segments " + Show.List(c.Snapshot.SegmentIds.Order()))}");
    }

    // An AND root lists each of its parts; any other root is one reason for the whole rule.
    private static bool Conditions(RuleGroup rule, PlaybookCustomer c, ReasonList add)
    {
        var facts = c.Facts;
        if (rule.Op == RuleOps.And && !rule.Not)
        {
            foreach (var cond in rule.Conditions)
                if (!add.Add(ReasonKind.Condition, RuleEvaluator.Matches(cond, facts, c.Now), $"{RuleText.Condition(cond)}", $"{RuleText.Value(cond, facts, c.Now)}")) return false;
            foreach (var group in rule.Groups)
                if (!add.Add(ReasonKind.Condition, RuleEvaluator.Matches(group, facts, c.Now), $"{RuleText.Group(group)}", $"{RuleText.Values(group, facts, c.Now)}")) return false;
            return true;
        }
        return add.Add(ReasonKind.Condition, RuleEvaluator.Matches(rule, facts, c.Now), $"{RuleText.Group(rule)}", $"{RuleText.Values(rule, facts, c.Now)}");
    }

    private static bool Exclude(Exclusion exclusion, Offer offer, PlaybookCustomer c, ReasonList add)
    {
        switch (exclusion)
        {
            case RecentCategoryPurchaseExclusion r:
            {
                var category = r.Category ?? offer.Category;
                string Rule() => $"not bought {category ?? "the promoted category"} in the last {r.Days} days";
                if (category is null) return add.Add(ReasonKind.Exclusion, true, $"{Rule()}", "the offer promotes no category");
                var since = c.Now.AddDays(-r.Days);
                if (!c.CategoriesLastBought.TryGetValue(category, out var last)) return add.Add(ReasonKind.Exclusion, true, $"{Rule()}", $"never bought {category}");
                return add.Add(ReasonKind.Exclusion, last < since, $"{Rule()}", $"last bought {category} {Show.Time(last)} ({Show.Span(c.Now - last)} ago)");
            }
            case HabitualBuyerExclusion h:
            {
                var category = h.Category ?? offer.Category;
                string Rule() => $"no discount for a habitual buyer of {category ?? "the promoted category"} (bought in ≥ {h.MinWeeks} of the last {h.WindowWeeks} weeks)";
                if (!offer.IsDiscount) return add.Add(ReasonKind.Exclusion, true, $"{Rule()}", $"the offer is {offer.Kind}, not a discount");
                if (category is null) return add.Add(ReasonKind.Exclusion, true, $"{Rule()}", "the offer promotes no category");
                var weeks = WeeksBought(c, category, h.WindowWeeks);
                return add.Add(ReasonKind.Exclusion, weeks < h.MinWeeks, $"{Rule()}", $"bought {category} in {weeks} of the last {h.WindowWeeks} weeks");
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
            !add.Add(ReasonKind.Context, days.Contains(local.DayOfWeek), $"weekday {Show.List(days)}", $"{local.DayOfWeek} ({c.ZoneName})")) return false;
        if (ctx.Dayparts is { Count: > 0 } parts)
        {
            var part = Dayparts.Of(local.Hour);
            if (!add.Add(ReasonKind.Context, parts.Contains(part), $"daypart {Show.List(parts)}", $"{part} ({local:HH:mm} {c.ZoneName})")) return false;
        }
        var p = c.Snapshot.Profile;
        if (ctx.HomeStores is { Count: > 0 } stores &&
            !add.Add(ReasonKind.Context, p.HomeStore is not null && stores.Contains(p.HomeStore), $"home store {Show.List(stores)}", p.HomeStore ?? "no home store")) return false;
        if (ctx.Regions is { Count: > 0 } regions &&
            !add.Add(ReasonKind.Context, p.Region is not null && regions.Contains(p.Region), $"region {Show.List(regions)}", p.Region ?? "no region")) return false;
        return true;
    }

    private static bool Cooldown(Play play, PlaybookCustomer c, ReasonList add)
    {
        var last = c.Snapshot.Contacts.Where(x => x.PlayId == play.Id && x.At <= c.Now).Select(x => (DateTime?)x.At).Max();
        if (last is null) return add.Add(ReasonKind.Cooldown, true, $"cooldown {play.CooldownDays} days after the last contact with this play", "never contacted with this play");
        var ends = last.Value.AddDays(play.CooldownDays);
        return add.Add(ReasonKind.Cooldown, c.Now >= ends, $"cooldown {play.CooldownDays} days after the last contact with this play", $"last contact {Show.Time(last.Value)}; cooldown {(c.Now >= ends ? "ended" : "ends")} {Show.Time(ends)}");
    }

    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static bool Group(Play play, string group, PlaybookCustomer c, ReasonList add)
    {
        var start = WeekStart(c.Today);
        string Rule() => $"no other play of group '{group}' this week (from Monday {Show.Day(start)}, {c.ZoneName})";
        var hit = c.Snapshot.Contacts
            .Where(x => x.ExclusionGroup == group && x.PlayId != play.Id && x.At <= c.Now && c.LocalDate(x.At) >= start)
            .MaxBy(x => x.At);
        return hit is null
            ? add.Add(ReasonKind.ExclusionGroup, true, $"{Rule()}", "none this week")
            : add.Add(ReasonKind.ExclusionGroup, false, $"{Rule()}", $"play {hit.PlayId} by {hit.Channel} at {Show.Time(hit.At)}");
    }
}

// The reasons of one verdict. With blockingOnly (the engine's fast path, which also stops at the first blocking rule) a
// rule that holds is not kept and no text of it is formatted: only the first blocking rule is kept, without the
// customer's value (a campaign run counts the rules that block, never shows one customer's value).
internal sealed class ReasonList(bool stopAtFirstBlocking, bool blockingOnly)
{
    public List<EligibilityReason> Reasons { get; } = new(blockingOnly ? 1 : 16);

    public bool KeepsRule(bool allowed) => !allowed || !blockingOnly;

    public bool KeepsValue => !blockingOnly;

    // Whether the evaluation goes on.
    public bool Add(ReasonKind kind, bool allowed, [InterpolatedStringHandlerArgument("", "allowed")] ReasonText rule,
        [InterpolatedStringHandlerArgument("")] ReasonText value)
    {
        if (!KeepsRule(allowed)) return true;
        Reasons.Add(new EligibilityReason(kind, allowed, rule.Text, KeepsValue ? value.Text : ""));
        return allowed || !stopAtFirstBlocking;
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

    public ReasonText(int literalLength, int formattedCount, ReasonList list, bool allowed, out bool shouldAppend)
        : this(literalLength, formattedCount, list.KeepsRule(allowed), out shouldAppend)
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
