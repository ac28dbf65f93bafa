using Workbench.Core.Jobs;

namespace Workbench.Features.Jobs;

// Hosts Core's daily job schedule for the lifetime of the web app.
public sealed class JobScheduleHost(JobScheduler scheduler) : BackgroundService
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
