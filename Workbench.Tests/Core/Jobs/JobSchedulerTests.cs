using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Workbench.Core.Data;
using Workbench.Core.Jobs;
using Workbench.Tests.Core.Segments;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Jobs;

// The daily schedule: a cron expression read in the store's time zone (Cronos), and the catch-up of a run missed while
// the app was down. Expected instants: UK summer time 2026 starts Sunday 29 March at 01:00 UTC and ends Sunday
// 25 October at 01:00 UTC (last Sundays of March and October, The Summer Time Order); Cronos's documented behaviour is
// that a daily time inside the skipped hour fires once at the transition and one inside the repeated hour fires once,
// at its first occurrence.
public sealed class JobSchedulerTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static DateTime Utc(int y, int mo, int d, int h, int mi = 0) => new(y, mo, d, h, mi, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("0 3 * * *", "UTC", "2026-12-01T05:00", "2026-12-02T03:00")]
    // Winter in London: 03:00 GMT is 03:00 UTC; summer: 03:00 BST is 02:00 UTC.
    [InlineData("0 3 * * *", "Europe/London", "2026-12-01T05:00", "2026-12-02T03:00")]
    [InlineData("0 3 * * *", "Europe/London", "2026-07-01T05:00", "2026-07-02T02:00")]
    // The night the clocks go forward, 03:00 local exists and is already summer time.
    [InlineData("0 3 * * *", "Europe/London", "2026-03-28T12:00", "2026-03-29T02:00")]
    // The night they go back, 03:00 local is winter time again.
    [InlineData("0 3 * * *", "Europe/London", "2026-10-24T12:00", "2026-10-25T03:00")]
    // 01:30 does not exist on 29 March (01:00 GMT jumps to 02:00 BST): the run happens at the jump, 01:00 UTC.
    [InlineData("30 1 * * *", "Europe/London", "2026-03-28T12:00", "2026-03-29T01:00")]
    // 01:30 happens twice on 25 October (00:30 UTC in summer time, 01:30 UTC in winter time): once, the first.
    [InlineData("30 1 * * *", "Europe/London", "2026-10-24T12:00", "2026-10-25T00:30")]
    [InlineData("30 1 * * *", "Europe/London", "2026-10-25T00:30", "2026-10-26T01:30")]
    // New York, 9 hours west in summer: 03:00 EDT is 07:00 UTC.
    [InlineData("0 3 * * *", "America/New_York", "2026-07-01T05:00", "2026-07-01T07:00")]
    public void NextAfter_ReadsTheCronInTheStoresTimeZone(string cron, string zone, string after, string expected)
    {
        var options = new JobScheduleOptions(cron, zone);
        var at = DateTime.SpecifyKind(DateTime.Parse(after, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

        Assert.Equal(DateTime.SpecifyKind(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc),
            options.NextAfter(at));
    }

    [Fact]
    public void LatestBefore_IsTheLastOccurrenceAtOrBeforeNow_InTheZone()
    {
        var london = new JobScheduleOptions("0 3 * * *", "Europe/London");

        Assert.Equal(Utc(2026, 7, 1, 2), london.LatestBefore(Utc(2026, 7, 1, 5)));
        Assert.Equal(Utc(2026, 6, 30, 2), london.LatestBefore(Utc(2026, 7, 1, 1, 59)));
        Assert.Equal(Utc(2026, 7, 1, 2), london.LatestBefore(Utc(2026, 7, 1, 2)));
    }

    [Theory]
    // Figures computed the day before, the 03:00 run of today not yet made: missed.
    [InlineData("2026-11-30 12:00:00", true)]
    // Computed after today's 03:00 occurrence: nothing to catch up.
    [InlineData("2026-12-01 04:00:00", false)]
    // Never computed (an empty store): the first import computes them.
    [InlineData(null, false)]
    public async Task IsRunMissed_ComparesTheFiguresWithTheLatestOccurrence(string? computedAt, bool missed)
    {
        if (computedAt is not null) await SetFiguresComputedAtAsync(DateTime.Parse(computedAt, System.Globalization.CultureInfo.InvariantCulture));
        var scheduler = Scheduler(Utc(2026, 12, 1, 5), Pipeline(TimeProvider.System, new CountingJob()));

        Assert.Equal(missed, await scheduler.IsRunMissedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Start_AfterAMissedOccurrence_CatchesUpWithOneDailyRunForEveryone_ThenWaitsForTheNext()
    {
        await SetFiguresComputedAtAsync(new DateTime(2026, 11, 30, 12, 0, 0));
        var job = new CountingJob();
        var scheduler = Scheduler(Utc(2026, 12, 1, 5), Pipeline(TimeProvider.System, job));
        using var stop = new CancellationTokenSource();

        var running = scheduler.RunAsync(stop.Token);
        await job.Ran.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitForAsync(async () => (await _store.RowsAsync("SELECT status FROM job_runs")).SequenceEqual(["Succeeded"]));
        // Caught up, it waits for tomorrow's 03:00 rather than running again or returning.
        Assert.False(running.IsCompleted);
        await stop.CancelAsync();
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Equal(["counting|Daily|daily schedule|Succeeded"],
            await _store.RowsAsync("SELECT job || '|' || \"trigger\" || '|' || requested_by || '|' || status FROM job_runs"));
        Assert.Equal([true], job.Everyone);
    }

    private sealed class CountingJob : IJob
    {
        public TaskCompletionSource Ran { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<bool> Everyone { get; } = [];
        public string Name => "counting";
        public string Title => "Counting";
        public IReadOnlyList<string> DependsOn => [];
        public int Priority => 0;

        public Task<long> RunAsync(JobContext context, CancellationToken ct)
        {
            Everyone.Add(context.Scope.Everyone && context.Scope.Refit);
            Ran.TrySetResult();
            return Task.FromResult(1L);
        }
    }

    private JobPipeline Pipeline(TimeProvider clock, params IJob[] jobs) => new(
        _store.Services.GetRequiredService<IDbContextFactory<WorkbenchDbContext>>(), _store.Location, new StoreWriteGate(), jobs, clock,
        NullLogger<JobPipeline>.Instance);

    private JobScheduler Scheduler(DateTime now, JobPipeline pipeline) =>
        new(pipeline, new JobScheduleOptions("0 3 * * *", "UTC"), _store.Location, new FixedTime(now), NullLogger<JobScheduler>.Instance);

    private async Task SetFiguresComputedAtAsync(DateTime at)
    {
        await using var connection = await StoreConnections.OpenAsync(_store.Location, CancellationToken.None);
        await connection.ExecuteAsync("INSERT OR REPLACE INTO population_figures (id, computed_at, figures_json) VALUES (1, $at, '{}')",
            CancellationToken.None, ("$at", StoreTime.Format(at)));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300 && !await condition(); i++) await Task.Delay(100);
        Assert.True(await condition());
    }
}
