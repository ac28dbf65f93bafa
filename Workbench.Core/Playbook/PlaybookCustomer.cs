using System.Collections.Concurrent;
using System.Globalization;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Playbook;

// One customer prepared for evaluating many plays at one moment: the time zone resolved, local now and today, and the
// rule facts built once. Now is UTC. Calendar rules (days since, anniversaries, weeks, dayparts) use the customer's
// own zone, the store's when the profile has none or names a zone this machine does not know.
public sealed class PlaybookCustomer
{
    private CustomerFacts? _facts;
    private IReadOnlyDictionary<string, DateTime>? _categories;

    private PlaybookCustomer(CustomerSnapshot snapshot, DateTime now, TimeZoneInfo zone, bool ownZone)
    {
        Snapshot = snapshot;
        Now = now;
        Zone = zone;
        UsesOwnZone = ownZone;
        LocalNow = TimeZoneInfo.ConvertTimeFromUtc(now, zone);
        Today = DateOnly.FromDateTime(LocalNow);
    }

    public CustomerSnapshot Snapshot { get; }
    public DateTime Now { get; }
    public TimeZoneInfo Zone { get; }
    public bool UsesOwnZone { get; }
    public DateTime LocalNow { get; }
    public DateOnly Today { get; }

    public CustomerFacts Facts => _facts ??= Snapshot.ToFacts();

    private IReadOnlyList<SnapshotEvent>? _eventsNewestFirst;
    private DateOnly?[]? _contactDates;
    private Dictionary<(Trigger Trigger, bool Values), TriggerOutcome>? _triggers;
    private TimeZoneInfo? _triggersZone;

    // A trigger's outcome for this customer, worked out once per distinct trigger (by value: plays share triggers, as
    // every category's "days since last purchase", and each channel of a play asks again); TriggerEvaluator is pure.
    public TriggerOutcome TriggerOutcome(Trigger trigger, TimeZoneInfo storeZone, bool values)
    {
        if (!ReferenceEquals(_triggersZone, storeZone)) (_triggers, _triggersZone) = (null, storeZone);
        _triggers ??= [];
        if (!_triggers.TryGetValue((trigger, values), out var outcome)) _triggers[(trigger, values)] = outcome = TriggerEvaluator.Evaluate(trigger, this, storeZone, values);
        return outcome;
    }

    // The local date of Snapshot.Contacts[index], worked out once per contact (every play of an exclusion group asks).
    public DateOnly ContactLocalDate(int index) =>
        (_contactDates ??= new DateOnly?[Snapshot.Contacts.Count])[index] ??= LocalDate(Snapshot.Contacts[index].At);

    // The events newest first, ties in the snapshot's order (the store reads them so; a snapshot built otherwise is
    // sorted once here, stably, not once per play).
    public IReadOnlyList<SnapshotEvent> EventsNewestFirst => _eventsNewestFirst ??= NewestFirst(Snapshot.Events);

    private static IReadOnlyList<SnapshotEvent> NewestFirst(IReadOnlyList<SnapshotEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
            if (events[i].At > events[i - 1].At) return events.OrderByDescending(e => e.At).ToList();
        return events;
    }

    // For exclusions: the store's activity, moved on by any later line in the snapshot (a purchase imported after the
    // last feature rebuild still counts). Rule conditions read the activity alone, as the SQL compiler does.
    public IReadOnlyDictionary<string, DateTime> CategoriesLastBought => _categories ??= MergeLines();

    private Dictionary<string, DateTime> MergeLines()
    {
        var merged = new Dictionary<string, DateTime>(Snapshot.CategoryLastBought ?? new Dictionary<string, DateTime>(), StringComparer.Ordinal);
        foreach (var line in Snapshot.Purchases)
            if (line.Quantity > 0 && line.Category is { } category && (!merged.TryGetValue(category, out var at) || line.At > at))
                merged[category] = line.At;
        return merged;
    }

    public static PlaybookCustomer Prepare(CustomerSnapshot snapshot, DateTime nowUtc, TimeZoneInfo storeZone)
    {
        if (nowUtc.Kind == DateTimeKind.Local) throw new ArgumentException("now must be UTC", nameof(nowUtc));
        var own = TimeZones.Find(snapshot.Profile.TimeZone);
        return new PlaybookCustomer(snapshot, DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), own ?? storeZone, own is not null);
    }

    public DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone));

    public string ZoneName => UsesOwnZone ? Zone.Id : $"{Zone.Id} (the store's; the customer has none)";
}

public static class TimeZones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Cache = new(StringComparer.Ordinal);

    public static TimeZoneInfo? Find(string? id) => string.IsNullOrWhiteSpace(id)
        ? null
        : Cache.GetOrAdd(id, static k => TimeZoneInfo.TryFindSystemTimeZoneById(k, out var z) ? z : null);
}

internal static class Show
{
    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Number(double x) => x.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Span(TimeSpan t)
    {
        var sign = t < TimeSpan.Zero ? "-" : "";
        t = t.Duration();
        return t.TotalHours >= 48 ? $"{sign}{(int)t.TotalDays} d {t.Hours} h" : $"{sign}{(int)t.TotalHours} h {t.Minutes:00} min";
    }

    public static string List<T>(IEnumerable<T> items) => string.Join(", ", items);
}
