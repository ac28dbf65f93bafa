using System.Diagnostics;
using System.Text;
using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Data;

// A kill mid-import (the process gets SIGKILL while it writes) leaves the SQLite file exactly as it was, and the import
// history shows the import as interrupted once the store is opened again.
public sealed class ImportCrashTests
{
    [Fact]
    public async Task Import_ProcessKilledMidFile_LeavesStoreUnchangedAndIntact_HistoryShowsInterrupted()
    {
        await using var store = await TestStore.CreateAsync();
        await store.ImportAsync(ImportKind.Customers, Fixtures.Customers);
        await store.ImportAsync(ImportKind.Products, Fixtures.Products);
        await store.ImportAsync(ImportKind.Transactions, "order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\nX1,1,C1,2026-01-01T10:00:00,P1,1,3.50\n");
        var before = await store.SnapshotAsync();
        var historyBefore = await store.RowsAsync("SELECT * FROM import_runs ORDER BY id");

        var file = Path.Combine(store.Directory, "transactions.csv");
        await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false)))
        {
            await writer.WriteLineAsync("order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price");
            for (var i = 0; i < 3_000_000; i++) await writer.WriteLineAsync($"O{i},1,C{1 + i % 3},2026-03-01T10:00:00,P{1 + i % 3},1,3.50");
        }

        var wal = store.DatabasePath + "-wal";
        var walBefore = File.Exists(wal) ? new FileInfo(wal).Length : 0;
        using var process = Process.Start(WorkbenchProcess.StartInfo(store.Directory, "import", "transactions", file, "--db", store.DatabasePath))!;
        var sawWrites = false;
        var deadline = Stopwatch.StartNew();
        while (!process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(5))
        {
            if (File.Exists(wal) && new FileInfo(wal).Length > walBefore + 4_000_000)
            {
                sawWrites = true;
                break;
            }
            await Task.Delay(10);
        }
        Assert.False(process.HasExited, "the import finished before it could be killed; make the file larger");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        Assert.True(sawWrites);
        Assert.Equal(before, await store.SnapshotAsync());
        Assert.Equal(["ok"], await store.RowsAsync("PRAGMA integrity_check"));
        // The killed import's row was committed before its load: Running, until a later start finds its process gone.
        var historyAfter = await store.RowsAsync("SELECT * FROM import_runs ORDER BY id");
        Assert.Equal(historyBefore, historyAfter.Take(historyBefore.Count));
        Assert.Equal(["Running"], await store.RowsAsync($"SELECT outcome FROM import_runs WHERE id > {historyBefore.Count}"));

        var next = await WorkbenchProcess.RunAsync(store.Directory, "quality", "--db", store.DatabasePath);
        Assert.Equal(0, next.ExitCode);
        Assert.Equal(["Interrupted|0"], await store.RowsAsync($"SELECT outcome, inserted FROM import_runs WHERE id > {historyBefore.Count}"));
        Assert.Equal(before, await store.SnapshotAsync());
    }

    [Fact]
    public async Task ImportVerb_ValidAndInvalidFiles_ExitCodesAndMessages()
    {
        await using var store = await TestStore.CreateAsync();
        var good = Path.Combine(store.Directory, "products.csv");
        var bad = Path.Combine(store.Directory, "bad.csv");
        await File.WriteAllTextAsync(good, Fixtures.Products);
        await File.WriteAllTextAsync(bad, "sku,name,category,price\nP7,Lamp,Home,-2\n");

        var ok = await WorkbenchProcess.RunAsync(store.Directory, "import", "products", "products.csv", "--db", store.DatabasePath);
        var refused = await WorkbenchProcess.RunAsync(store.Directory, "import", "products", "bad.csv", "--db", store.DatabasePath);
        var skipped = await WorkbenchProcess.RunAsync(store.Directory, "import", "products", "bad.csv", "--db", store.DatabasePath, "--skip-invalid");
        var help = await WorkbenchProcess.RunAsync(store.Directory, "--help");

        Assert.Equal(0, ok.ExitCode);
        Assert.StartsWith("products.csv: imported products: 3 rows read, 3 inserted", ok.Stdout);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("bad.csv:2: price: price must not be negative ('-2')", refused.Stderr.Trim());
        Assert.Contains("refused, nothing written", refused.Stdout);
        Assert.Equal(0, skipped.ExitCode);
        Assert.Contains("bad.rejected.csv", skipped.Stdout);
        Assert.Contains("price must not be negative", await File.ReadAllTextAsync(Path.Combine(store.Directory, "bad.rejected.csv")));
        Assert.Equal(0, help.ExitCode);
        foreach (var verb in new[] { "import", "generate", "bench" }) Assert.Contains(verb, help.Stdout);
        Assert.Equal(["3"], await store.RowsAsync("SELECT COUNT(*) FROM products"));
    }
}
