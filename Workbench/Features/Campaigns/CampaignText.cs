using System.Globalization;
using Workbench.Core.Campaigns;
using Workbench.Core.Decisioning;

namespace Workbench.Features.Campaigns;

// The words the campaign pages show for the model's enums and schedules.
public static class CampaignText
{
    public static string Status(CampaignStatus s) => s.ToString().ToLowerInvariant();

    public static string RunStatus(CampaignRunStatus s) => s.ToString().ToLowerInvariant();

    public static MudBlazor.Color RunStatusColor(CampaignRunStatus s) => s switch
    {
        CampaignRunStatus.Succeeded => MudBlazor.Color.Success,
        CampaignRunStatus.Running => MudBlazor.Color.Info,
        CampaignRunStatus.Failed => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Warning,
    };

    public static string Stage(CampaignStage s) => s.ToString().ToLowerInvariant();

    public static string Handling(CappedHandling h) => h switch
    {
        CappedHandling.Drop => "drop it",
        CappedHandling.Defer => "defer it to the next allowed moment",
        _ => "substitute the next-best play on an open channel",
    };

    public static string Schedule(CampaignSchedule s) => s.Kind == ScheduleKind.Triggered
        ? "triggered: continuously, on each customer's events (within a minute of them, after each play's delay)"
        : s.Kind == ScheduleKind.OneOff
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
