using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;
using Workbench.Core.Jobs;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Data;

// A job run killed with its process (SIGKILL while the feature rebuild writes) is shown as interrupted on the next start,
// never as running; what it was writing was rolled back with its transaction.
public sealed class JobCrashTests
{
    [Fact]
    public async Task JobRun_ProcessKilledMidJob_IsInterruptedOnTheNextStart_AndTheStoreKeepsTheOldFeatures()
    {
        await using var store = await TestStore.CreateAsync();
        await store.ImportAsync(ImportKind.Customers, Fixtures.Customers);
        await store.ImportAsync(ImportKind.Products, Fixtures.Products);
        // Enough lines (written set-based, not through the importer) for the rebuild to take a few seconds.
        await store.RowsAsync("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
            INSERT INTO customers (customer_id, import_id, created_import_id, revision, seen_import_id)
            SELECT printf('K%06d', i), 1, 1, 0, 1 FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200000)
            INSERT INTO order_lines (order_id, line_no, customer_id, ordered_at, sku, quantity, unit_price, discount, channel,
                import_id, created_import_id, revision, seen_import_id)
            SELECT 'O' || i, 1, printf('K%06d', 1 + i % 40000), printf('2026-%02d-%02d 10:00:00', 1 + i % 11, 1 + i % 28),
                'P' || (1 + i % 3), 1 + i % 3, 3.5, 0, 'web', 1, 1, 0, 1 FROM n;
            """);
        var featuresBefore = await store.RowsAsync("SELECT * FROM customer_features ORDER BY customer_id");

        using var process = Process.Start(WorkbenchProcess.StartInfo(store.Directory, "jobs", "run", "--db", store.DatabasePath))!;
        var deadline = Stopwatch.StartNew();
        var sawRunning = false;
        while (!process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if ((await store.RowsAsync("SELECT status FROM job_runs WHERE job = 'customer-features' AND \"trigger\" = 'Demand'")) is ["Running"])
            {
                sawRunning = true;
                break;
            }
            await Task.Delay(10);
        }
        Assert.False(process.HasExited, "the run finished before it could be killed; add lines");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Assert.True(sawRunning);
        Assert.Equal(["Running"], await store.RowsAsync("SELECT status FROM job_runs WHERE job = 'customer-features' AND \"trigger\" = 'Demand'"));

        // The next start (another process) finds the owner gone.
        var next = await WorkbenchProcess.RunAsync(store.Directory, "jobs", "list", "--db", store.DatabasePath);

        Assert.Equal(0, next.ExitCode);
        Assert.Equal(
        [
            "customer-stats|Succeeded", "customer-features|Interrupted", "segment-memberships|Interrupted", "kpi-months|Interrupted",
            "basket-model|Interrupted", "quality-snapshot|Interrupted",
        ], await store.RowsAsync("SELECT job, status FROM job_runs WHERE \"trigger\" = 'Demand' ORDER BY id"));
        Assert.Contains("customer-features demand interrupted", next.Stdout);
        Assert.Equal(["interrupted: the process stopped while the job ran (killed or crashed); its changes were rolled back"],
            await store.RowsAsync("SELECT error FROM job_runs WHERE job = 'customer-features' AND \"trigger\" = 'Demand'"));
        Assert.Equal(featuresBefore, await store.RowsAsync("SELECT * FROM customer_features ORDER BY customer_id"));
        Assert.Equal(["ok"], await store.RowsAsync("PRAGMA integrity_check"));

        // And a run of this process, started afterwards, is not mistaken for one of the dead process.
        var pipeline = store.Services.GetRequiredService<JobPipeline>();
        Assert.Equal(0, await pipeline.RecoverInterruptedAsync(default));
    }
}
