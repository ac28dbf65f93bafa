using System.Globalization;
using Workbench.Core.Campaigns;
using Workbench.Core.Decisioning;

namespace Workbench.Features.Campaigns;

// The words the campaign pages show for the model's enums and schedules.
public static class CampaignText
{
    // Said on both campaign pages until the scheduler and the send list exist (issue 11).
    public const string NotRunYet = "Runs are not built yet: a scheduled campaign shows when it would run, but no run starts and nothing is sent. " +
        "The scheduler, the send list and the forecast come next.";

    public static string Status(CampaignStatus s) => s.ToString().ToLowerInvariant();

    public static string Stage(CampaignStage s) => s.ToString().ToLowerInvariant();

    public static string Handling(CappedHandling h) => h switch
    {
        CappedHandling.Drop => "drop it",
        CappedHandling.Defer => "defer it to the next allowed moment",
        _ => "substitute the next-best play on an open channel",
    };

    public static string Schedule(CampaignSchedule s) => s.Kind == ScheduleKind.OneOff
        ? s.At is { } at ? $"once, {Time(at)} UTC" : "once (no time set)"
        : $"cron {s.Cron} in {s.TimeZone}" + (s.CustomerLocalTime ? ", at each customer's local time" : "");

    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static MudBlazor.Color StatusColor(CampaignStatus s) => s switch
    {
        CampaignStatus.Scheduled => MudBlazor.Color.Success,
        CampaignStatus.Paused => MudBlazor.Color.Warning,
        CampaignStatus.Finished => MudBlazor.Color.Dark,
        _ => MudBlazor.Color.Default,
    };
}
