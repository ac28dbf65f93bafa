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
    public static EligibilityVerdict Evaluate(Play play, string channel, PlaybookCustomer c, TimeZoneInfo storeZone, bool stopAtFirstBlocking = false)
    {
        var reasons = new List<EligibilityReason>(16);
        bool Add(ReasonKind kind, bool allowed, string rule, string value)
        {
            reasons.Add(new EligibilityReason(kind, allowed, rule, value));
            return allowed || !stopAtFirstBlocking;
        }
        EligibilityVerdict Done(bool complete) => new(play.Id, channel, reasons, complete);

        if (!Add(ReasonKind.Status, play.Status == PlayStatus.Active, "the play is active", $"status {play.Status}")) return Done(false);
        if (!Add(ReasonKind.Channel, play.Channels.Contains(channel), $"channel allowed ({Show.List(play.Channels)})", channel)) return Done(false);
        var content = play.ContentFor(channel);
        if (!Add(ReasonKind.Content, content is { Variants.Count: > 0 }, $"content for {channel}",
                content is null ? "none" : $"{content.Variants.Count} variant(s)")) return Done(false);
        if (!Consent(channel, c, Add)) return Done(false);
        if (!OfferRules(play.Offer, c, Add)) return Done(false);

        var trigger = TriggerEvaluator.Evaluate(play.Trigger, c, storeZone);
        if (!Add(ReasonKind.Trigger, trigger.Fired, trigger.Rule, trigger.CustomerValue)) return Done(false);
        if (!Segments(play.Audience, c, Add)) return Done(false);
        if (play.Audience.Conditions is { } rule && !Conditions(rule, c, Add)) return Done(false);
        foreach (var exclusion in play.Audience.Exclusions)
            if (!Exclude(exclusion, play.Offer, c, Add)) return Done(false);
        if (play.Audience.Context is { } context && !Context(context, c, Add)) return Done(false);
        if (!Cooldown(play, c, Add)) return Done(false);
        if (play.ExclusionGroup is { Length: > 0 } group && !Group(play, group, c, Add)) return Done(false);
        return Done(true);
    }

    private delegate bool Adder(ReasonKind kind, bool allowed, string rule, string value);

    private static bool Consent(string channel, PlaybookCustomer c, Adder add)
    {
        var rule = $"consent for {channel} granted";
        return c.Snapshot.Consents.TryGetValue(channel, out var consent)
            ? add(ReasonKind.Consent, consent.Status == "granted", rule, $"{consent.Status} on {Show.Day(DateOnly.FromDateTime(consent.UpdatedAt))}")
            : add(ReasonKind.Consent, false, rule, "no consent recorded");
    }

    private static bool OfferRules(Offer offer, PlaybookCustomer c, Adder add)
    {
        if (offer.ValidFrom is not null || offer.ValidTo is not null)
        {
            var from = offer.ValidFrom is { } f ? Show.Day(f) : "any time";
            var to = offer.ValidTo is { } t ? Show.Day(t) : "open";
            var valid = (offer.ValidFrom is null || c.Today >= offer.ValidFrom) && (offer.ValidTo is null || c.Today <= offer.ValidTo);
            if (!add(ReasonKind.Offer, valid, $"offer valid {from} to {to}", $"today is {Show.Day(c.Today)} ({c.ZoneName})")) return false;
        }
        if (offer.MembersOnly)
        {
            var tier = c.Snapshot.Profile.LoyaltyTier;
            if (!add(ReasonKind.Offer, !string.IsNullOrEmpty(tier), "members only (a loyalty tier)", string.IsNullOrEmpty(tier) ? "no loyalty tier" : $"tier {tier}")) return false;
        }
        return true;
    }

    private static bool Segments(Audience audience, PlaybookCustomer c, Adder add)
    {
        var ids = audience.SegmentIds;
        if (ids.Count == 0) return add(ReasonKind.Segment, true, "segments: none required", "—");
        var member = ids.Where(c.Snapshot.SegmentIds.Contains).ToList();
        var ok = audience.Match == SegmentMatch.All ? member.Count == ids.Count : member.Count > 0;
        var rule = $"member of {(audience.Match == SegmentMatch.All ? "all" : "any")} of segments {Show.List(ids)}";
        var value = c.Snapshot.SegmentIds.Count == 0 ? "in no saved segment" : $"in segments {Show.List(c.Snapshot.SegmentIds.Order())}";
        return add(ReasonKind.Segment, ok, rule, value);
    }

    // An AND root lists each of its parts; any other root is one reason for the whole rule.
    private static bool Conditions(RuleGroup rule, PlaybookCustomer c, Adder add)
    {
        var facts = c.Facts;
        if (rule.Op == RuleOps.And && !rule.Not)
        {
            foreach (var cond in rule.Conditions)
                if (!add(ReasonKind.Condition, RuleEvaluator.Matches(cond, facts, c.Now), RuleText.Condition(cond), RuleText.Value(cond, facts, c.Now))) return false;
            foreach (var group in rule.Groups)
                if (!add(ReasonKind.Condition, RuleEvaluator.Matches(group, facts, c.Now), RuleText.Group(group), RuleText.Values(group, facts, c.Now))) return false;
            return true;
        }
        return add(ReasonKind.Condition, RuleEvaluator.Matches(rule, facts, c.Now), RuleText.Group(rule), RuleText.Values(rule, facts, c.Now));
    }

    private static bool Exclude(Exclusion exclusion, Offer offer, PlaybookCustomer c, Adder add)
    {
        switch (exclusion)
        {
            case RecentCategoryPurchaseExclusion r:
            {
                var category = r.Category ?? offer.Category;
                var rule = $"not bought {category ?? "the promoted category"} in the last {r.Days} days";
                if (category is null) return add(ReasonKind.Exclusion, true, rule, "the offer promotes no category");
                var since = c.Now.AddDays(-r.Days);
                if (!c.CategoriesLastBought.TryGetValue(category, out var last)) return add(ReasonKind.Exclusion, true, rule, $"never bought {category}");
                return add(ReasonKind.Exclusion, last < since, rule, $"last bought {category} {Show.Time(last)} ({Show.Span(c.Now - last)} ago)");
            }
            case HabitualBuyerExclusion h:
            {
                var category = h.Category ?? offer.Category;
                var rule = $"no discount for a habitual buyer of {category ?? "the promoted category"} (bought in ≥ {h.MinWeeks} of the last {h.WindowWeeks} weeks)";
                if (!offer.IsDiscount) return add(ReasonKind.Exclusion, true, rule, $"the offer is {offer.Kind}, not a discount");
                if (category is null) return add(ReasonKind.Exclusion, true, rule, "the offer promotes no category");
                var weeks = WeeksBought(c, category, h.WindowWeeks);
                return add(ReasonKind.Exclusion, weeks < h.MinWeeks, rule, $"bought {category} in {weeks} of the last {h.WindowWeeks} weeks");
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

    private static bool Context(ContextConditions ctx, PlaybookCustomer c, Adder add)
    {
        var local = c.LocalNow;
        if (ctx.Weekdays is { Count: > 0 } days &&
            !add(ReasonKind.Context, days.Contains(local.DayOfWeek), $"weekday {Show.List(days)}", $"{local.DayOfWeek} ({c.ZoneName})")) return false;
        if (ctx.Dayparts is { Count: > 0 } parts)
        {
            var part = Dayparts.Of(local.Hour);
            if (!add(ReasonKind.Context, parts.Contains(part), $"daypart {Show.List(parts)}", $"{part} ({local:HH:mm} {c.ZoneName})")) return false;
        }
        var p = c.Snapshot.Profile;
        if (ctx.HomeStores is { Count: > 0 } stores &&
            !add(ReasonKind.Context, p.HomeStore is not null && stores.Contains(p.HomeStore), $"home store {Show.List(stores)}", p.HomeStore ?? "no home store")) return false;
        if (ctx.Regions is { Count: > 0 } regions &&
            !add(ReasonKind.Context, p.Region is not null && regions.Contains(p.Region), $"region {Show.List(regions)}", p.Region ?? "no region")) return false;
        return true;
    }

    private static bool Cooldown(Play play, PlaybookCustomer c, Adder add)
    {
        var rule = $"cooldown {play.CooldownDays} days after the last contact with this play";
        var last = c.Snapshot.Contacts.Where(x => x.PlayId == play.Id && x.At <= c.Now).Select(x => (DateTime?)x.At).Max();
        if (last is null) return add(ReasonKind.Cooldown, true, rule, "never contacted with this play");
        var ends = last.Value.AddDays(play.CooldownDays);
        return add(ReasonKind.Cooldown, c.Now >= ends, rule, $"last contact {Show.Time(last.Value)}; cooldown {(c.Now >= ends ? "ended" : "ends")} {Show.Time(ends)}");
    }

    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static bool Group(Play play, string group, PlaybookCustomer c, Adder add)
    {
        var start = WeekStart(c.Today);
        var rule = $"no other play of group '{group}' this week (from Monday {Show.Day(start)}, {c.ZoneName})";
        var hit = c.Snapshot.Contacts
            .Where(x => x.ExclusionGroup == group && x.PlayId != play.Id && x.At <= c.Now && c.LocalDate(x.At) >= start)
            .MaxBy(x => x.At);
        return hit is null
            ? add(ReasonKind.ExclusionGroup, true, rule, "none this week")
            : add(ReasonKind.ExclusionGroup, false, rule, $"play {hit.PlayId} by {hit.Channel} at {Show.Time(hit.At)}");
    }
}
