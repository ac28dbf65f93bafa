using Workbench.Core.Jobs;

namespace Workbench.Core.Playbook;

// The basket model (items and pairs bought together) as a job of the pipeline. Its input is the order lines: every
// import of order lines rebuilds it, as do the daily run and a rebuild on demand; an import of anything else leaves it
// as it is (no counted basket changed). A rebuild, not an increment: an upserted line may change an order already
// counted, and the model keeps no per-order state to take it out again.
public sealed class BasketModelJob(BasketModelService baskets) : IJob
{
    public const string JobName = "basket-model";
    public const string InputTable = "order_lines";
    public string Name => JobName;
    public string Title => "Basket model";
    public IReadOnlyList<string> DependsOn => [];
    // After what pages show within seconds of an import (statistics, features, memberships, KPI cells).
    public int Priority => 5;

    public async Task<long> RunAsync(JobContext context, CancellationToken ct)
    {
        if (!context.Scope.Everyone && context.Scope.ImportedTable is { } table && table != InputTable)
        {
            context.Report($"unchanged: an import of {table} changes no basket");
            return 0;
        }
        var info = await baskets.RebuildAsync(context.AsProgress(), ct);
        return info.Items + info.Pairs;
    }
}
