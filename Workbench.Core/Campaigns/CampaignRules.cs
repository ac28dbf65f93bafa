using System.Text.RegularExpressions;
using Workbench.Core.Playbook;

namespace Workbench.Core.Campaigns;

// What a campaign may refer to: the plays of the playbook with their status, and the saved segments.
public sealed record CampaignContext(IReadOnlyDictionary<string, PlayStatus> Plays, IReadOnlySet<long> SegmentIds);

// Pure checks of a campaign, each message naming the field (camelCase, as in the JSON) and what to do. Errors block a
// save; a warning is shown beside it (a draft may name plays that are not active yet).
public static partial class CampaignValidator
{
    public const int MaxIdLength = 100, MaxNameLength = 200, MaxDescriptionLength = 2_000, MaxVariants = 64, MaxPlays = 500, MaxSegments = 100;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex IdPattern();

    // Ids that are pages under /campaigns/: a campaign with one of them could not be opened.
    public static readonly IReadOnlyList<string> ReservedIds = ["new", "calendar"];

    public static IReadOnlyList<ValidationMessage> Check(Campaign c, CampaignContext context)
    {
        var m = new List<ValidationMessage>();
        void Error(string field, string message) => m.Add(new(Severity.Error, field, message));
        void Warn(string field, string message) => m.Add(new(Severity.Warning, field, message));

        if (c.Id.Length == 0 || c.Id.Length > MaxIdLength || !IdPattern().IsMatch(c.Id))
            Error("id", $"'{c.Id}' is not an id: 1 to {MaxIdLength} letters, digits, '-', '_' or '.', starting with a letter or digit");
        else if (ReservedIds.Contains(c.Id, StringComparer.OrdinalIgnoreCase))
            Error("id", $"'{c.Id}' names a page of the campaign section (/campaigns/{c.Id}); choose another id");
        if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Length > MaxNameLength) Error("name", $"a campaign needs a name of at most {MaxNameLength} characters");
        if (c.Description.Length > MaxDescriptionLength) Error("description", $"at most {MaxDescriptionLength} characters");
        if (c.Owner.Length > MaxNameLength) Error("owner", $"an owner of at most {MaxNameLength} characters");

        if (c.PlayIds.Count == 0) Error("playIds", "choose at least one play for the campaign to send");
        if (c.PlayIds.Count > MaxPlays) Error("playIds", $"at most {MaxPlays} plays");
        foreach (var id in c.PlayIds.GroupBy(p => p, StringComparer.Ordinal).Where(g => g.Count() > 1)) Error("playIds", $"play '{id.Key}' is named twice");
        foreach (var id in c.PlayIds.Distinct(StringComparer.Ordinal))
        {
            if (!context.Plays.TryGetValue(id, out var status)) Error("playIds", $"there is no play '{id}' in the playbook; remove it or import it");
            else if (status == PlayStatus.Retired) Error("playIds", $"play '{id}' is retired; remove it or clone it into a new play");
            else if (status != PlayStatus.Active)
                (c.Status == CampaignStatus.Draft ? (Action<string, string>)Warn : Error)("playIds", $"play '{id}' is {PlayStatusName(status)}: only active plays are sent; activate it before scheduling");
        }
        if (c.SegmentIds.Count > MaxSegments) Error("segmentIds", $"at most {MaxSegments} segments");
        foreach (var id in c.SegmentIds.Distinct())
            if (!context.SegmentIds.Contains(id)) Error("segmentIds", $"segment {id} no longer exists; choose another or remove it");
        foreach (var ch in c.Channels.Distinct(StringComparer.Ordinal))
            if (!PlayChannels.WithContent.Contains(ch)) Error("channels", $"'{ch}' is not a channel; use {string.Join(", ", PlayChannels.WithContent)}");

        CheckSchedule(c, Error);

        if (!double.IsFinite(c.ControlPercent) || c.ControlPercent < 0 || c.ControlPercent > Campaign.MaxControlPercent)
            Error("controlPercent", $"the control group is 0 to {Campaign.MaxControlPercent:0}% of the audience");
        else if (c.ControlPercent == 0) Warn("controlPercent", "no control group: the campaign's effect cannot be measured against anyone");
        if (c.Variants.Count == 0) Error("variants", "a campaign needs at least one variant (one named \"standard\" sends the plays as written)");
        if (c.Variants.Count > MaxVariants) Error("variants", $"at most {MaxVariants} variants; a larger factorial design belongs in several campaigns");
        for (var i = 0; i < c.Variants.Count; i++)
        {
            var v = c.Variants[i];
            if (string.IsNullOrWhiteSpace(v.Name) || v.Name.Length > MaxIdLength || !IdPattern().IsMatch(v.Name) || v.Name == Decisioning.ArmAssignment.ControlArm)
                Error($"variants[{i}].name", $"'{v.Name}' is not a variant name: letters, digits, '-', '_' or '.', and not \"control\"");
            if (!double.IsFinite(v.Share) || v.Share <= 0 || v.Share > 1_000_000) Error($"variants[{i}].share", "a share is a positive weight (for example 1 and 1 for a 50/50 split)");
            foreach (var (field, text) in new[] { ("theme", v.Theme), ("layout", v.Layout), ("sendTime", v.SendTime) })
                if (text is { Length: > MaxNameLength }) Error($"variants[{i}].{field}", $"at most {MaxNameLength} characters");
        }
        foreach (var name in c.Variants.GroupBy(v => v.Name, StringComparer.Ordinal).Where(g => g.Count() > 1)) Error("variants", $"variant '{name.Key}' is named twice");
        if (!Enum.IsDefined(c.Handling)) Error("handling", "choose drop, defer or substitute");
        return m;
    }

    private static void CheckSchedule(Campaign c, Action<string, string> error)
    {
        var s = c.Schedule;
        if (CampaignSchedules.Zone(s.TimeZone) is null) error("schedule.timeZone", $"'{s.TimeZone}' is not a time zone; use an IANA name such as Europe/London");
        switch (s.Kind)
        {
            case ScheduleKind.OneOff:
                if (s.At is null) error("schedule.at", "a one-off campaign needs the moment it runs");
                if (s.Cron is not null) error("schedule.cron", "a one-off campaign has no cron expression; make it recurring or remove the expression");
                break;
            case ScheduleKind.Recurring:
                if (!TriggerEvaluator.TryParseCron(s.Cron, out _))
                    error("schedule.cron", $"'{s.Cron}' is not a five-field cron expression (minute hour day-of-month month day-of-week), for example \"0 9 * * MON\"");
                if (s.At is not null) error("schedule.at", "a recurring campaign runs on its cron expression; remove the one-off moment");
                break;
            case ScheduleKind.Triggered:
                if (s.At is not null) error("schedule.at", "a triggered campaign runs on its customers' events; remove the one-off moment");
                if (s.Cron is not null) error("schedule.cron", "a triggered campaign runs on its customers' events; remove the cron expression");
                break;
            default:
                error("schedule.kind", "choose one_off, recurring or triggered");
                break;
        }
    }

    private static string PlayStatusName(PlayStatus s) => s == PlayStatus.InReview ? "in review" : s.ToString().ToLowerInvariant();
}

// When a campaign's runs fall. Recurring: the cron expression's occurrences in the campaign's zone, Cronos's rules for
// the clock changes (a time skipped by a spring-forward runs at the first instant after it; a repeated autumn hour runs
// once). From is exclusive, to inclusive; times are UTC.
public static class CampaignSchedules
{
    public static TimeZoneInfo? Zone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    public static IReadOnlyList<DateTime> Occurrences(CampaignSchedule s, DateTime fromUtc, DateTime toUtc, int max = 1_000)
    {
        if (s.Kind == ScheduleKind.Triggered) return [];
        if (s.Kind == ScheduleKind.OneOff)
            return s.At is { } at && at > fromUtc && at <= toUtc ? [DateTime.SpecifyKind(at, DateTimeKind.Utc)] : [];
        if (!TriggerEvaluator.TryParseCron(s.Cron, out var cron) || Zone(s.TimeZone) is not { } zone) return [];
        return cron!.GetOccurrences(DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc), DateTime.SpecifyKind(toUtc, DateTimeKind.Utc), zone,
            fromInclusive: false, toInclusive: true).Take(max).ToList();
    }

    public static DateTime? Next(CampaignSchedule s, DateTime afterUtc)
    {
        if (s.Kind == ScheduleKind.Triggered) return null;
        if (s.Kind == ScheduleKind.OneOff) return s.At is { } at && at > afterUtc ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null;
        if (!TriggerEvaluator.TryParseCron(s.Cron, out var cron) || Zone(s.TimeZone) is not { } zone) return null;
        return cron!.GetNextOccurrence(DateTime.SpecifyKind(afterUtc, DateTimeKind.Utc), zone, inclusive: false);
    }
}
