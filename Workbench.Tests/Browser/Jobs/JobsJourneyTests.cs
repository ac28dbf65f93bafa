using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Workbench.Core.Users;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Jobs;

[Collection(AppCollection.Name)]
public sealed class JobsJourneyTests(AppFixture app)
{
    private async Task ExecAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task JobsPage_EmptyThenARebuildRunsEveryJob_AFailedRunShowsItsError_AnalystCannotStartOne()
    {
        // The sample data's imports ran the jobs at start; their records are cleared to see the empty page.
        await ExecAsync("DELETE FROM job_runs");
        var page = await app.OpenAsync("/jobs");
        await page.Locator("#recent-runs-empty").WaitForAsync();
        Assert.Equal("Nothing is running.", await page.InnerTextAsync("#running-runs-empty"));
        await AppFixture.ScreenshotAsync(page, "jobs-empty");

        await page.ClickAsync("#start-rebuild");
        await page.Locator("#jobs-message", new() { HasText = "Rebuild queued" }).WaitForAsync();
        // The page follows the records by itself: the six runs end up succeeded without a reload.
        await page.Locator("#recent-runs tr.job-run[data-status=Succeeded][data-job=quality-snapshot]").WaitForAsync(new() { Timeout = 60_000 });
        Assert.Equal(6, await page.Locator("#recent-runs tr.job-run[data-status=Succeeded]").CountAsync());
        Assert.Contains("on demand", await page.InnerTextAsync("#recent-runs"));

        await ExecAsync("""
            INSERT INTO job_runs (request_id, job, "trigger", status, requested_by, queued_at, started_at, finished_at, error)
            VALUES (9999, 'customer-features', 'Daily', 'Failed', 'daily schedule', '2026-11-30 03:00:00', '2026-11-30 03:00:00',
                    '2026-11-30 03:00:41', 'database or disk is full')
            """);
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        var failed = page.Locator("#recent-runs tr.job-run[data-status=Failed]");
        await failed.WaitForAsync();
        Assert.Contains("database or disk is full", await failed.InnerTextAsync());
        Assert.Contains("41.0 s", await failed.InnerTextAsync());
        await AppFixture.ScreenshotAsync(page, "jobs-recent-with-error");

        var analyst = await app.OpenAsAsync("/jobs", Roles.Analyst);
        await analyst.Locator("#recent-runs tr.job-run").First.WaitForAsync();
        Assert.Equal(0, await analyst.Locator("#start-rebuild").CountAsync());
        Assert.Equal(0, await analyst.Locator(".cancel-run").CountAsync());
    }
}
