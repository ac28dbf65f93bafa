using System.Collections.Concurrent;
using Cronos;

namespace Workbench.Core.Playbook;

// Whether a play's trigger holds for a customer now. Conventions (tested at their edges in TriggerEvaluatorTests):
// - event + delay: due from exactly event time + delay (inclusive) until + ExpiresAfterHours (exclusive); a purchase at
//   or after the event time, up to now, cancels it; the latest due event counts.
// - days since last purchase: whole calendar days between the last purchase's local date and today's local date; the
//   features' dates are used when they are not after now (a preview of an earlier moment falls back to the lines).
// - anniversaries and birthdays: the customer's local date; a 29 February date falls on 28 February in other years.
// - points crossing: the reading that first reached the threshold after one below it, on a local day in [today − Days, today].
// - first purchase: its local date in [today − Days, today].
// - scheduled: an occurrence of the cron in the store's zone within the last WindowHours (both ends inclusive).
public static class TriggerEvaluator
{
    // values: false leaves an event trigger's customer value out ("", not formatted), for the decision engine's fast path.
    public static TriggerOutcome Evaluate(Trigger trigger, PlaybookCustomer c, TimeZoneInfo storeZone, bool values = true) => trigger switch
    {
        EventTrigger e => Event(e, c, values),
        LifecycleTrigger l => Lifecycle(l, c),
        ScheduledTrigger s => Scheduled(s, c.Now, storeZone),
        _ => throw new ArgumentException($"unknown trigger {trigger.GetType().Name}"),
    };

    // A trigger is immutable and a run asks for its text once per customer: kept per trigger instance.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Trigger, string> Descriptions = new();

    public static string Describe(Trigger trigger) => Descriptions.GetValue(trigger, DescribeUncached);

    private static string DescribeUncached(Trigger trigger) => trigger switch
    {
        EventTrigger e => $"{e.EventType}{(e.Category is null ? "" : $" of {e.Category}")}, then {Delay(e.DelayMinutes)}"
            + (e.WithoutPurchase switch
            {
                PurchaseCheck.Any => " without a purchase",
                PurchaseCheck.SameCategory => $" without a purchase of {(e.Category ?? "that category")}",
                _ => "",
            }) + $" (open {e.ExpiresAfterHours} h)",
        LifecycleTrigger l => l.Moment switch
        {
            LifecycleMoment.DaysSinceLastPurchase => $"days since last purchase ≥ {l.Days}",
            LifecycleMoment.ExpectedNextPurchaseReached => $"expected next purchase date reached{Open(l.Days)}",
            LifecycleMoment.SignupAnniversary => $"signup anniversary{Open(l.Days)}",
            LifecycleMoment.Birthday => $"birthday{Open(l.Days)}",
            LifecycleMoment.LoyaltyPointsCrossed => $"loyalty points cross {l.Points}{Open(l.Days)}",
            LifecycleMoment.FirstPurchase => $"first purchase{Open(l.Days)}",
            _ => l.Moment.ToString(),
        },
        ScheduledTrigger s => $"scheduled batch '{s.Cron}' (store time, open {s.WindowHours} h)",
        _ => trigger.GetType().Name,
    };

    private static string Open(int? days) => days is > 0 ? $" (open {days} days)" : " (that day)";

    private static string Delay(int minutes) => minutes % 1440 == 0 && minutes > 0 ? $"{minutes / 1440} days"
        : minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes} min";

    private static TriggerOutcome Event(EventTrigger t, PlaybookCustomer c, bool values)
    {
        var rule = Describe(t);
        var delay = TimeSpan.FromMinutes(t.DelayMinutes);
        var open = TimeSpan.FromHours(t.ExpiresAfterHours);
        SnapshotEvent? latestSeen = null;
        string? lastReason = values ? null : "";
        foreach (var e in c.EventsNewestFirst)
        {
            if (e.Type != t.EventType || (t.Category is not null && e.Category != t.Category)) continue;
            latestSeen ??= e;
            var due = e.At + delay;
            if (c.Now < due)
            {
                lastReason ??= $"{e.Type} at {Show.Time(e.At)}, {Show.Span(c.Now - e.At)} ago: the {Delay(t.DelayMinutes)} delay has not passed";
                continue;
            }
            if (c.Now >= due + open)
            {
                lastReason ??= $"latest {e.Type} at {Show.Time(e.At)}, {Show.Span(c.Now - e.At)} ago: past the {t.ExpiresAfterHours} h it stays open";
                break;
            }
            var category = t.Category ?? e.Category;
            PurchaseLine? purchase = null;
            if (t.WithoutPurchase != PurchaseCheck.None)
                foreach (var p in c.Snapshot.Purchases)
                    if (p.Quantity > 0 && p.At >= e.At && p.At <= c.Now && (t.WithoutPurchase == PurchaseCheck.Any || p.Category == category)
                        && (purchase is null || p.At < purchase.At)) purchase = p;
            if (purchase is not null)
            {
                lastReason ??= $"{e.Type} at {Show.Time(e.At)}, then a purchase{(t.WithoutPurchase == PurchaseCheck.SameCategory ? $" of {category}" : "")} at {Show.Time(purchase.At)}";
                continue;
            }
            if (!values) return new TriggerOutcome(true, rule, "", e.At);
            var without = t.WithoutPurchase == PurchaseCheck.None ? "" : "; no purchase since";
            return new TriggerOutcome(true, rule, $"{e.Type}{(e.Category is null ? "" : $" ({e.Category})")} at {Show.Time(e.At)}, {Show.Span(c.Now - e.At)} ago{without}", e.At);
        }
        return new TriggerOutcome(false, rule, lastReason ?? (latestSeen is null ? $"no {t.EventType}{(t.Category is null ? "" : $" of {t.Category}")} event" : "no due event"), null);
    }

    private static TriggerOutcome Lifecycle(LifecycleTrigger t, PlaybookCustomer c)
    {
        var rule = Describe(t);
        var f = c.Snapshot.Features;
        var openDays = Math.Max(0, t.Days ?? 0);
        switch (t.Moment)
        {
            case LifecycleMoment.DaysSinceLastPurchase:
            {
                var last = f?.LastPurchaseAt is { } l && l <= c.Now ? l : c.Snapshot.Purchases.Where(p => p.Quantity > 0 && p.At <= c.Now).Select(p => (DateTime?)p.At).Max();
                if (last is null) return new(false, rule, "no purchase yet", null);
                var days = c.Today.DayNumber - c.LocalDate(last.Value).DayNumber;
                return new(days >= (t.Days ?? 0), rule, $"last purchase {Show.Day(c.LocalDate(last.Value))}: {days} days ago ({c.ZoneName})", last);
            }
            case LifecycleMoment.ExpectedNextPurchaseReached:
            {
                if (f?.ExpectedNextPurchaseAt is not { } expected) return new(false, rule, "no expected next purchase date (fewer than two orders)", null);
                var day = c.LocalDate(expected);
                var late = c.Today.DayNumber - day.DayNumber;
                var value = $"expected next purchase {Show.Day(day)}: {(late >= 0 ? $"{late} days ago" : $"in {-late} days")}";
                return new(late >= 0 && late <= openDays, rule, value, expected);
            }
            case LifecycleMoment.SignupAnniversary:
                return Yearly(rule, c, c.Snapshot.Profile.SignupDate, "signed up", openDays, minYears: 1);
            case LifecycleMoment.Birthday:
                return Yearly(rule, c, c.Snapshot.Profile.BirthDate, "born", openDays, minYears: 1);
            case LifecycleMoment.LoyaltyPointsCrossed:
                return PointsCrossed(t, rule, c, openDays);
            case LifecycleMoment.FirstPurchase:
            {
                var first = f?.FirstPurchaseAt is { } x && x <= c.Now ? x : c.Snapshot.Purchases.Where(p => p.Quantity > 0 && p.At <= c.Now).Select(p => (DateTime?)p.At).Min();
                if (first is null) return new(false, rule, "no purchase yet", null);
                var ago = c.Today.DayNumber - c.LocalDate(first.Value).DayNumber;
                return new(ago >= 0 && ago <= openDays, rule, $"first purchase {Show.Day(c.LocalDate(first.Value))}: {ago} days ago", first);
            }
            default:
                throw new ArgumentException($"unknown moment {t.Moment}");
        }
    }

    // The date's anniversary in a given year; 29 February becomes 28 February in a year without it.
    public static DateOnly AnniversaryIn(DateOnly date, int year) =>
        date is { Month: 2, Day: 29 } && !DateTime.IsLeapYear(year) ? new DateOnly(year, 2, 28) : new DateOnly(year, date.Month, date.Day);

    private static TriggerOutcome Yearly(string rule, PlaybookCustomer c, DateOnly? date, string verb, int openDays, int minYears)
    {
        if (date is not { } d) return new(false, rule, $"no date ({verb} unknown)", null);
        // The window may run over New Year: the anniversary of last year can still be open in January.
        foreach (var year in new[] { c.Today.Year, c.Today.Year - 1 })
        {
            var day = AnniversaryIn(d, year);
            var since = c.Today.DayNumber - day.DayNumber;
            if (year - d.Year >= minYears && since >= 0 && since <= openDays)
                return new(true, rule, $"{verb} {Show.Day(d)}: anniversary {Show.Day(day)} ({year - d.Year} years), today is {Show.Day(c.Today)} ({c.ZoneName})", day.ToDateTime(TimeOnly.MinValue));
        }
        var next = AnniversaryIn(d, c.Today.Year) is var thisYear && thisYear >= c.Today ? thisYear : AnniversaryIn(d, c.Today.Year + 1);
        return new(false, rule, $"{verb} {Show.Day(d)}: next anniversary {Show.Day(next)}, today is {Show.Day(c.Today)} ({c.ZoneName})", null);
    }

    private static TriggerOutcome PointsCrossed(LifecycleTrigger t, string rule, PlaybookCustomer c, int openDays)
    {
        var threshold = t.Points ?? 0;
        var readings = c.Snapshot.PointsHistory.Where(r => r.At <= c.Now).OrderBy(r => r.At).ToList();
        if (c.Snapshot.Profile.LoyaltyPoints is { } current && (readings.Count == 0 || readings[^1].Points != current))
            readings.Add(new PointsReading(c.Now, current));
        if (readings.Count == 0) return new(false, rule, "no points recorded", null);
        PointsReading? crossing = null;
        for (var i = 1; i < readings.Count; i++)
            if (readings[i - 1].Points < threshold && readings[i].Points >= threshold) crossing = readings[i];
        var now = readings[^1].Points;
        if (crossing is null)
            return new(false, rule, now >= threshold ? $"{now} points, never seen below {threshold} in the history kept" : $"{now} points", null);
        var ago = c.Today.DayNumber - c.LocalDate(crossing.At).DayNumber;
        var fired = now >= threshold && ago <= openDays;
        return new(fired, rule, $"{now} points now; reached {crossing.Points} on {Show.Day(c.LocalDate(crossing.At))} ({ago} days ago)", crossing.At);
    }

    // The outcome depends on the schedule and the moment alone, not on the customer: a campaign run asks it for every
    // customer at one moment, so it is kept per (cron, window, moment, zone).
    private static readonly ConcurrentDictionary<(string?, int, long, string), TriggerOutcome> ScheduledOutcomes = new();

    private static TriggerOutcome Scheduled(ScheduledTrigger t, DateTime now, TimeZoneInfo storeZone)
    {
        // ConcurrentDictionary.Count takes every lock: it is read on a miss only, never per customer.
        var key = (t.Cron, t.WindowHours, now.Ticks, storeZone.Id);
        if (ScheduledOutcomes.TryGetValue(key, out var hit)) return hit;
        if (ScheduledOutcomes.Count > 10_000) ScheduledOutcomes.Clear();
        return ScheduledOutcomes.GetOrAdd(key, _ => ScheduledUncached(t, now, storeZone));
    }

    private static TriggerOutcome ScheduledUncached(ScheduledTrigger t, DateTime now, TimeZoneInfo storeZone)
    {
        var rule = Describe(t);
        if (!TryParseCron(t.Cron, out var cron)) return new(false, rule, "the schedule does not parse", null);
        var last = cron!.GetOccurrences(now.AddHours(-t.WindowHours), now, storeZone, fromInclusive: true, toInclusive: true).LastOrDefault();
        return last == default
            ? new(false, rule, $"no run of the schedule in the last {t.WindowHours} h (now {Show.Time(now)})", null)
            : new(true, rule, $"run at {Show.Time(last)}", last);
    }

    private static readonly ConcurrentDictionary<string, CronExpression?> Crons = new(StringComparer.Ordinal);

    // Parsed once per distinct text (a play is evaluated for every customer).
    public static bool TryParseCron(string? cron, out CronExpression? expression)
    {
        expression = null;
        if (string.IsNullOrWhiteSpace(cron)) return false;
        if (Crons.TryGetValue(cron, out expression)) return expression is not null;
        if (Crons.Count > 10_000) Crons.Clear();
        expression = Crons.GetOrAdd(cron, static text =>
        {
            try
            {
                return CronExpression.Parse(text);
            }
            catch (CronFormatException)
            {
                return null;
            }
        });
        return expression is not null;
    }
}

public sealed record TriggerOutcome(bool Fired, string Rule, string CustomerValue, DateTime? At);
