namespace Workbench.Core.Campaigns;

// One line of the calendar: a run that will happen (Run null) or that happened (Run set), at At (UTC).
public sealed record CalendarEntry(DateTime At, string CampaignId, string CampaignName, CampaignStatus Status, CampaignRunView? Run);

// The campaign calendar, pure: every scheduled campaign's occurrences from `from` (exclusive) to `to` (inclusive), and
// the runs that happened in the window before, newest last. A paused campaign has no coming runs (it shows what it would
// run once resumed only on its editor). Occurrences are those the scheduler will claim: one-off at its moment, recurring
// by the cron expression in its zone (CampaignSchedules); at most `perCampaign` each, so an every-minute campaign does not
// flood the page.
public static class CampaignCalendar
{
    public static IReadOnlyList<CalendarEntry> Coming(IEnumerable<Campaign> campaigns, DateTime from, DateTime to, int perCampaign = 200) =>
        campaigns.Where(c => c.Status == CampaignStatus.Scheduled)
            .SelectMany(c => CampaignSchedules.Occurrences(c.Schedule, from, to, perCampaign).Select(at => new CalendarEntry(at, c.Id, c.Name, c.Status, null)))
            .OrderBy(e => e.At).ThenBy(e => e.CampaignName, StringComparer.CurrentCulture).ThenBy(e => e.CampaignId, StringComparer.Ordinal).ToList();

    public static IReadOnlyList<CalendarEntry> Past(IEnumerable<CampaignRunView> runs, IReadOnlyDictionary<string, Campaign> campaigns, DateTime since) =>
        runs.Where(r => r.Occurrence > since)
            .Select(r => new CalendarEntry(r.Occurrence, r.CampaignId, campaigns.TryGetValue(r.CampaignId, out var c) ? c.Name : r.Campaign.Name,
                campaigns.TryGetValue(r.CampaignId, out var d) ? d.Status : r.Campaign.Status, r))
            .OrderBy(e => e.At).ThenBy(e => e.Run!.Id).ToList();
}
