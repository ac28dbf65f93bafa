using Workbench.Core.Reports;

namespace Workbench.Features.Reports;

// Hosts Core's weekly KPI pack schedule for the lifetime of the web app.
public sealed class WeeklyKpiPackHost(WeeklyKpiPacks weekly, ILogger<WeeklyKpiPackHost> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await weekly.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "The weekly KPI pack schedule stopped");
        }
    }
}
