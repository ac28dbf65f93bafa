using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Workbench.Core.Data;
using Workbench.Core.Import;
using Workbench.Core.Jobs;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Jobs;

public sealed class JobPipelineTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private sealed class TestJob(string name, IReadOnlyList<string> dependsOn, Func<JobContext, CancellationToken, Task<long>> run) : IJob
    {
        public string Name => name;
        public string Title => name;
        public IReadOnlyList<string> DependsOn => dependsOn;
        public int Priority => 0;
        public Task<long> RunAsync(JobContext context, CancellationToken ct) => run(context, ct);
    }

    private JobPipeline Pipeline(params IJob[] jobs) => new(_store.Services.GetRequiredService<IDbContextFactory<WorkbenchDbContext>>(),
        _store.Location, new StoreWriteGate(), jobs, TimeProvider.System, NullLogger<JobPipeline>.Instance);

    [Fact]
    public async Task Import_RunsEveryDerivedJobInDependencyOrder_OneAfterTheOther_AndRecordsEach()
    {
        await _store.ImportAsync(ImportKind.Customers, Fixtures.Customers);

        Assert.Equal(
        [
            "customer-stats|Import|Succeeded|3", "customer-features|Import|Succeeded|3", "segment-memberships|Import|Succeeded|0",
            "kpi-months|Import|Succeeded|0", "basket-model|Import|Succeeded|0", "quality-snapshot|Import|Succeeded|1",
        ], await _store.RowsAsync("SELECT job, \"trigger\", status, rows FROM job_runs ORDER BY id"));
        // One writer at a time: each job started after the one before it finished.
        var times = await _store.RowsAsync("SELECT started_at || '|' || finished_at FROM job_runs ORDER BY id");
        for (var i = 1; i < times.Count; i++)
            Assert.True(string.CompareOrdinal(times[i].Split('|')[0], times[i - 1].Split('|')[1]) >= 0, string.Join("; ", times));
        Assert.Equal(0, await _store.CountAsync("touched_customers"));
    }

    [Fact]
    public async Task DailyRun_OnAQuietStore_LeavesTheMonthlyFiguresAsTheyAre_ADemandRunRebuildsThem()
    {
        await _store.ImportAsync(ImportKind.Customers, Fixtures.Customers);
        await _store.ImportAsync(ImportKind.Products, Fixtures.Products);
        await _store.ImportAsync(ImportKind.Transactions, "order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\nX0,1,C1,2026-01-01T10:00:00,P1,1,3.50\nX1,1,C2,2026-02-01T10:00:00,P1,2,3.50\n");
        var cells = await _store.RowsAsync("SELECT * FROM kpi_customer_months ORDER BY 1, 2, 3");
        Assert.NotEmpty(cells);
        var pipeline = _store.Services.GetRequiredService<JobPipeline>();

        // The cells depend on no date: with no customer touched since the last run, the daily run has nothing to do.
        var daily = await (await pipeline.EnqueueAsync(JobRequest.Rebuild(JobTrigger.Daily, "test"), default)).Done;
        Assert.True(daily.Succeeded);
        Assert.Equal(0, daily.Runs.Single(r => r.Job == KpiMonthsJob.JobName).Rows);
        Assert.Equal(cells, await _store.RowsAsync("SELECT * FROM kpi_customer_months ORDER BY 1, 2, 3"));

        var demand = await pipeline.RunNowAsync([KpiMonthsJob.JobName], "test", default);
        Assert.True(demand.Runs.Single(r => r.Job == KpiMonthsJob.JobName).Rows > 0);
        Assert.Equal(cells, await _store.RowsAsync("SELECT * FROM kpi_customer_months ORDER BY 1, 2, 3"));
    }

    [Fact]
    public async Task Import_OfOneCustomersLines_RecomputesThatCustomerOnly()
    {
        await _store.ImportAsync(ImportKind.Customers, Fixtures.Customers);
        await _store.ImportAsync(ImportKind.Products, Fixtures.Products);
        // The first buyer: the population figures are fitted (a full run); the next import is scored against them.
        await _store.ImportAsync(ImportKind.Transactions, "order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\nX0,1,C1,2026-01-01T10:00:00,P1,1,3.50\n");
        await _store.ImportAsync(ImportKind.Transactions, "order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\nX1,1,C2,2026-01-01T10:00:00,P1,1,3.50\n");

        // The statistics job wrote the one touched customer's row; the features job reports the customers it recomputed.
        Assert.Equal(["1|1"], await _store.RowsAsync("""
            SELECT (SELECT rows FROM job_runs WHERE job = 'customer-stats' ORDER BY id DESC LIMIT 1),
                   (SELECT rows FROM job_runs WHERE job = 'customer-features' ORDER BY id DESC LIMIT 1)
            """));
        Assert.Equal(["C1|1", "C2|1", "C3|0"], await _store.RowsAsync("SELECT customer_id, orders FROM customer_stats ORDER BY customer_id"));
        Assert.Equal(["C1|1", "C2|1", "C3|0"], await _store.RowsAsync("SELECT customer_id, orders FROM customer_features ORDER BY customer_id"));
    }

    [Fact]
    public async Task Cancel_RunningJob_IsCancelled_AndWhatDependsOnItSkipped_OtherJobsRun()
    {
        var started = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipeline = Pipeline(
            new TestJob("slow", [], async (_, ct) =>
            {
                started.SetResult(0);
                await Task.Delay(Timeout.Infinite, ct);
                return 0;
            }),
            new TestJob("after-slow", ["slow"], (_, _) => Task.FromResult(1L)),
            new TestJob("independent", [], (_, _) => Task.FromResult(7L)));

        var enqueued = await pipeline.EnqueueAsync(JobRequest.Rebuild(JobTrigger.Demand, "ann"), default);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var running = Assert.Single((await pipeline.OverviewAsync(10, default)).Running);
        Assert.Equal("slow", running.Job);
        Assert.True(await pipeline.CancelAsync(running.Id, default));
        var result = await enqueued.Done.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(
        [
            ("independent", JobStatus.Succeeded, (string?)null), ("slow", JobStatus.Cancelled, "cancelled while it ran; its changes were rolled back"),
            ("after-slow", JobStatus.Skipped, "not run: slow did not finish"),
        ], result.Runs.Select(r => (r.Job, r.Status, r.Error)));
        Assert.False(await pipeline.CancelAsync(running.Id, default));
    }

    [Fact]
    public async Task FailingJob_IsRecordedWithItsError_TouchedCustomersKeptForTheNextRun()
    {
        await _store.RowsAsync("INSERT INTO touched_customers (customer_id, import_run_id) VALUES ('C1', 1)");
        var pipeline = Pipeline(
            new TestJob("breaks", [], (_, _) => throw new InvalidOperationException("disk full")),
            new TestJob("reads-it", ["breaks"], (_, _) => Task.FromResult(1L)));

        var result = await (await pipeline.EnqueueAsync(new JobRequest(JobTrigger.Import, "import 1", false, false), default)).Done;

        Assert.Equal([(JobStatus.Failed, "disk full"), (JobStatus.Skipped, "not run: breaks did not finish")], result.Runs.Select(r => (r.Status, r.Error)));
        Assert.Equal(["C1"], await _store.RowsAsync("SELECT customer_id FROM touched_customers"));
    }

    [Fact]
    public async Task Progress_OfARunningJob_IsShownWithItsRecord()
    {
        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipeline = Pipeline(new TestJob("counts", [], async (context, _) =>
        {
            context.Report("500 of 1,000 customers");
            reported.SetResult();
            await release.Task;
            return 1000;
        }), new TestJob("next", ["counts"], (_, _) => Task.FromResult(0L)));

        var enqueued = await pipeline.EnqueueAsync(JobRequest.Rebuild(JobTrigger.Demand, "ann"), default);
        await reported.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var overview = await pipeline.OverviewAsync(10, default);
        release.SetResult();
        await enqueued.Done;

        Assert.Equal("500 of 1,000 customers", Assert.Single(overview.Running).Progress);
        Assert.Equal("next", Assert.Single(overview.Queued).Job);
    }
}
