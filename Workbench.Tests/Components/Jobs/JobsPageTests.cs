using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;
using Workbench.Core.Jobs;
using Workbench.Core.Users;
using Workbench.Features.Jobs;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Jobs;

public sealed class JobsPageTests : StorePageContext
{
    protected override Task ArrangeAsync(TestStore store)
    {
        Use<JobPipeline>();
        Use<JobScheduleOptions>();
        return Task.CompletedTask;
    }

    [Fact]
    public void EmptyStore_SaysNothingRanYet_AndWhenJobsRun()
    {
        var page = Render<JobsPage>();

        page.WaitForAssertion(() => Assert.Equal("No job has run yet: the first import, the daily run or a rebuild will start them.",
            page.Find("#recent-runs-empty").TextContent));
        Assert.Equal("Nothing is running.", page.Find("#running-runs-empty").TextContent);
        Assert.Equal("Nothing is queued.", page.Find("#queued-runs-empty").TextContent);
        Assert.Contains("customer statistics, customer features, segment memberships, monthly figures, basket model, data quality snapshot", page.Find("#jobs-explained").TextContent);
        Assert.Contains("every day at 03:00 (UTC) for everyone", page.Find("#jobs-explained").TextContent);
    }

    [Fact]
    public async Task RecentRuns_ShowStatusDurationRowsAndTheErrorOfAFailedRun()
    {
        await Store.ImportAsync(ImportKind.Customers, Fixtures.Customers);
        await Store.RowsAsync("""
            INSERT INTO job_runs (request_id, job, "trigger", status, requested_by, queued_at, started_at, finished_at, error)
            VALUES (99, 'customer-features', 'Daily', 'Failed', 'daily schedule', '2026-11-30 03:00:00', '2026-11-30 03:00:00',
                    '2026-11-30 03:00:12.5', 'database or disk is full')
            """);

        var page = Render<JobsPage>();

        page.WaitForAssertion(() => Assert.Equal(7, page.FindAll("#recent-runs tr.job-run").Count));
        var failed = page.Find("#recent-runs tr[data-status=Failed]");
        Assert.Contains("Customer features", failed.TextContent);
        Assert.Contains("daily", failed.TextContent);
        Assert.Contains("12.5 s", failed.TextContent);
        Assert.Equal("database or disk is full", failed.QuerySelector(".job-error")!.TextContent);
        var stats = page.Find("#recent-runs tr[data-job=customer-stats]");
        Assert.Contains("after an import", stats.TextContent);
        Assert.Contains("succeeded", stats.TextContent);
    }

    [Fact]
    public void Analyst_SeesTheRunsButNoRebuild()
    {
        var page = Render<JobsPage>();

        page.WaitForAssertion(() => page.Find("#recent-runs-empty"));
        Assert.Empty(page.FindAll("#start-rebuild"));
    }

    [Fact]
    public async Task Admin_StartsARebuild_ItsRunsAppearAndFinish()
    {
        await Store.ImportAsync(ImportKind.Customers, Fixtures.Customers);
        SignInAs("root", Roles.Admin);
        var page = Render<JobsPage>();
        page.WaitForAssertion(() => Assert.Equal(6, page.FindAll("#recent-runs tr.job-run").Count));

        await page.InvokeAsync(() => page.Find("#start-rebuild").Click());

        page.WaitForAssertion(() => Assert.StartsWith("Rebuild queued (request", page.Find("#jobs-message").TextContent));
        page.WaitForAssertion(() => Assert.Equal(12, page.FindAll("#recent-runs tr.job-run[data-status=Succeeded]").Count), TimeSpan.FromSeconds(30));
        Assert.Equal(6, page.FindAll("#recent-runs tr.job-run").Count(r => r.TextContent.Contains("on demand") && r.TextContent.Contains("root")));
    }
}
