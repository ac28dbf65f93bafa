using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Workbench.Core.Audit;
using Workbench.Core.Data;
using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Import;

public sealed class ImportFollowUpTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    // Stands for a long rebuild: says it started, then waits for its token.
    private sealed class WaitingFollowUp : IImportFollowUp
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool Cancelled { get; private set; }
        public string Activity => "a long rebuild";

        public async Task AfterImportAsync(ImportResult result, CancellationToken ct)
        {
            Started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                Cancelled = true;
                throw;
            }
        }
    }

    [Fact]
    public async Task FollowUps_OutliveTheCallersToken_ButStopWhenTheServiceIsDisposed()
    {
        var followUp = new WaitingFollowUp();
        var imports = new ImportService(_store.Services.GetRequiredService<IDbContextFactory<WorkbenchDbContext>>(), _store.Location,
            TimeProvider.System, _store.Services.GetRequiredService<AuditService>(), NullLogger<ImportService>.Instance, new StoreWriteGate(), [followUp]);
        using var page = new CancellationTokenSource();

        var import = imports.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes("customer_id\nC1\n")),
            new ImportRequest(ImportKind.Customers, "customers.csv", ImportMode.AllOrNothing, "test", null), null, page.Token);
        await followUp.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The page that started the import goes away: the work after it goes on.
        await page.CancelAsync();
        await Task.Delay(200);
        Assert.False(import.IsCompleted);
        Assert.False(followUp.Cancelled);

        // The app shuts down (the container disposes the service): the work stops, the import itself stands.
        imports.Dispose();
        var result = await import.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(followUp.Cancelled);
        Assert.True(result.Succeeded);
        Assert.Equal(["C1"], await _store.RowsAsync("SELECT customer_id FROM customers"));
    }
}
