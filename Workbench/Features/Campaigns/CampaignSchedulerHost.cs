using Workbench.Core.Campaigns;

namespace Workbench.Features.Campaigns;

// Hosts Core's campaign scheduler for the lifetime of the web app: due runs start within its interval (30 s), and runs
// an earlier process left unfinished are taken over once their lease runs out.
public sealed class CampaignSchedulerHost(CampaignScheduler scheduler) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await scheduler.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
