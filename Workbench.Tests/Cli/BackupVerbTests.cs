using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Cli;
using Workbench.Core.Data;
using Workbench.Core.Jobs;
using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Cli;

public sealed class BackupVerbTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        _folder = Path.Combine(_store.Directory, "backups");
        Directory.CreateDirectory(_folder);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await CommandLine.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString().Trim(), stderr.ToString().Trim());
    }

    private static async Task ImportDataAsync(TestStore store)
    {
        await store.ImportAsync(ImportKind.Customers, Fixtures.Customers);
        await store.ImportAsync(ImportKind.Products, Fixtures.Products);
        await store.ImportAsync(ImportKind.Transactions, """
            order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price
            O1,1,C1,2026-10-01T10:00:00,P1,1,3.50
            O1,2,C1,2026-10-01T10:00:00,P3,2,45
            O2,1,C2,2026-10-05T10:00:00,P2,1,499
            """);
    }

    // Every row of every table, each table's rows sorted: the logical content of a store file.
    private static string Dump(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var tables = Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            dump.AppendLine($"[{table}]");
            foreach (var row in Query(connection, $"SELECT * FROM \"{table}\"").Order(StringComparer.Ordinal)) dump.AppendLine(row);
        }
        return dump.ToString();
    }

    private static List<string> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
                fields[i] = reader.IsDBNull(i) ? "∅" : reader.GetValue(i) is byte[] b ? Convert.ToHexString(b) : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
            rows.Add(string.Join("|", fields));
        }
        return rows;
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private async Task<string> BackupOfStoreWithDataAsync()
    {
        await ImportDataAsync(_store);
        var file = Path.Combine(_folder, "workbench-backup.db");
        var (code, _, err) = await RunAsync("backup", "--out", file, "--db", _store.DatabasePath);
        Assert.True(code == 0, err);
        return file;
    }

    [Fact]
    public async Task Backup_StoreWithData_CopyHoldsTheSameRowsAndReportsThem()
    {
        await ImportDataAsync(_store);
        var file = Path.Combine(_folder, "workbench-backup.db");

        var (code, stdout, stderr) = await RunAsync("backup", "--out", file, "--db", _store.DatabasePath);

        Assert.True(code == 0, stderr);
        Assert.Equal(Dump(_store.DatabasePath), Dump(file));
        Assert.Contains("[order_lines]", Dump(file));
        using var copy = new SqliteConnection($"Data Source={file};Pooling=False");
        copy.Open();
        var lastMigration = Query(copy, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId DESC LIMIT 1")[0];
        Assert.Contains($"integrity ok, migration {lastMigration}", stdout);
        Assert.Contains("customers 3, products 3, order lines 3", stdout);
        Assert.Equal(["workbench-backup.db"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Backup_WhileAnotherConnectionCommitsBatches_CopyIsOneCommittedState()
    {
        Execute(_store.DatabasePath, "CREATE TABLE backup_probe (n INTEGER NOT NULL, filler TEXT NOT NULL)");
        using var stop = new CancellationTokenSource();
        var threeBatches = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = Task.Run(() =>
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _store.DatabasePath, Pooling = false }.ToString());
            connection.Open();
            var batches = 0;
            while (!stop.IsCancellationRequested)
            {
                using var tx = connection.BeginTransaction(deferred: false);
                using var insert = connection.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = "INSERT INTO backup_probe (n, filler) VALUES ($n, $filler)";
                var n = insert.Parameters.Add("$n", SqliteType.Integer);
                insert.Parameters.AddWithValue("$filler", new string('x', 200));
                for (var i = 0; i < 100; i++)
                {
                    n.Value = batches * 100 + i;
                    insert.ExecuteNonQuery();
                }
                tx.Commit();
                if (++batches == 3) threeBatches.SetResult();
            }
            return batches;
        });
        await threeBatches.Task;
        var file = Path.Combine(_folder, "during-writes.db");

        var (code, stdout, stderr) = await RunAsync("backup", "--out", file, "--db", _store.DatabasePath);
        await stop.CancelAsync();
        var written = await writer;

        Assert.True(code == 0, stderr);
        Assert.Contains("integrity ok", stdout);
        using var copy = new SqliteConnection($"Data Source={file};Pooling=False");
        copy.Open();
        Assert.Equal(["ok"], Query(copy, "PRAGMA integrity_check"));
        var rows = long.Parse(Query(copy, "SELECT COUNT(*) FROM backup_probe")[0], CultureInfo.InvariantCulture);
        Assert.True(rows >= 300 && rows % 100 == 0, $"{rows} rows in the copy: not a committed state");
        Assert.True(rows <= written * 100L);
        Assert.Equal(rows == 0 ? "∅" : (rows - 1).ToString(CultureInfo.InvariantCulture), Query(copy, "SELECT MAX(n) FROM backup_probe")[0]);
    }

    [Fact]
    public async Task Backup_ExistingTarget_RefusedWithoutForceAndReplacedWithIt()
    {
        await ImportDataAsync(_store);
        var file = Path.Combine(_folder, "existing.db");
        await File.WriteAllTextAsync(file, "an earlier file");

        var refused = await RunAsync("backup", "--out", file, "--db", _store.DatabasePath);

        Assert.Equal(1, refused.Code);
        Assert.Equal($"{file}: already exists: choose another --out, or add --force to replace it", refused.Err);
        Assert.Equal("an earlier file", await File.ReadAllTextAsync(file));

        var forced = await RunAsync("backup", "--out", file, "--force", "--db", _store.DatabasePath);

        Assert.True(forced.Code == 0, forced.Err);
        Assert.Equal(Dump(_store.DatabasePath), Dump(file));
        Assert.Equal(["existing.db"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Backup_CopyFailsItsIntegrityCheck_LeavesNoFileBehind()
    {
        // A store whose table pages are damaged: the backup API copies the pages as they are, the check on the copy fails.
        var damaged = Path.Combine(_store.Directory, "damaged.db");
        Execute(damaged, "CREATE TABLE t (x BLOB); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2000) INSERT INTO t SELECT randomblob(200) FROM s;");
        await using (var bytes = new FileStream(damaged, FileMode.Open, FileAccess.Write))
        {
            bytes.Position = 4096 * 5;
            bytes.Write(Enumerable.Repeat((byte)0xA5, 4096 * 20).ToArray());
        }
        var file = Path.Combine(_folder, "from-damaged.db");

        var (code, stdout, stderr) = await RunAsync("backup", "--out", file, "--db", damaged);

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Equal($"{file}: the copy is damaged (SQLite reports it malformed), so it was not kept: check the store {damaged} (PRAGMA integrity_check)", stderr);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public async Task Backup_TargetFolderMissingOrStoreMissing_ClearErrorAndNothingWritten()
    {
        await ImportDataAsync(_store);
        var folder = Path.Combine(_folder, "not-there");
        var file = Path.Combine(folder, "backup.db");

        var noFolder = await RunAsync("backup", "--out", file, "--db", _store.DatabasePath);
        var missingStore = Path.Combine(_store.Directory, "missing", "none.db");
        var noStore = await RunAsync("backup", "--out", Path.Combine(_folder, "b.db"), "--db", missingStore);

        Assert.Equal(1, noFolder.Code);
        Assert.Equal($"{file}: the folder {folder} does not exist: create it or choose another --out", noFolder.Err);
        Assert.False(Directory.Exists(folder));
        Assert.Equal(1, noStore.Code);
        Assert.StartsWith($"{missingStore}: there is no store here", noStore.Err);
        Assert.False(File.Exists(missingStore));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public async Task Restore_IntoEmptyStore_GivesTheBackupsContent()
    {
        var backup = await BackupOfStoreWithDataAsync();
        await using var empty = await TestStore.CreateAsync();

        var (code, stdout, stderr) = await RunAsync("restore", "--from", backup, "--db", empty.DatabasePath);

        Assert.True(code == 0, stderr);
        Assert.Equal(Dump(backup), Dump(empty.DatabasePath));
        Assert.Contains("customers 3, products 3, order lines 3", stdout);
        Assert.Equal(3, await empty.CountAsync("customers"));
        Assert.Equal(await _store.SnapshotAsync(), await empty.SnapshotAsync());
    }

    [Fact]
    public async Task Restore_IntoNewStoreFile_OpensWithTheBackupsContent()
    {
        var backup = await BackupOfStoreWithDataAsync();
        var fresh = Path.Combine(_store.Directory, "fresh", "workbench.db");

        var (code, _, stderr) = await RunAsync("restore", "--from", backup, "--db", fresh);
        var customer = await RunAsync("customer", "C1", "--db", fresh);

        Assert.True(code == 0, stderr);
        Assert.Equal(Dump(backup), Dump(fresh));
        Assert.True(customer.Code == 0, customer.Err);
        Assert.Contains("anna@example.com", customer.Out);
    }

    [Fact]
    public async Task Restore_OverStoreWithData_RefusedWithoutForceAndChangesNothing()
    {
        var backup = await BackupOfStoreWithDataAsync();
        await using var other = await TestStore.CreateAsync();
        await other.ImportAsync(ImportKind.Customers, """
            customer_id,first_name,last_name,email,preferred_channel,time_zone,loyalty_points,signup_date
            Z9,Zed,Other,zed@example.com,email,Europe/London,5,2025-03-01
            """);
        var before = Dump(other.DatabasePath);

        var refused = await RunAsync("restore", "--from", backup, "--db", other.DatabasePath);

        Assert.Equal(1, refused.Code);
        Assert.Equal($"{other.DatabasePath}: the store holds data (customers, products, order lines, events or consents): add --force to replace it with {backup}", refused.Err);
        Assert.Equal(before, Dump(other.DatabasePath));

        var forced = await RunAsync("restore", "--from", backup, "--force", "--db", other.DatabasePath);

        Assert.True(forced.Code == 0, forced.Err);
        Assert.Equal(Dump(backup), Dump(other.DatabasePath));
    }

    [Fact]
    public async Task Restore_StoreLockedByAnotherConnection_RefusedAndChangesNothing()
    {
        var backup = await BackupOfStoreWithDataAsync();
        await using var other = await TestStore.CreateAsync();
        var before = Dump(other.DatabasePath);
        using var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = other.DatabasePath, Pooling = false }.ToString());
        holder.Open();
        using var tx = holder.BeginTransaction(deferred: false);

        var (code, _, stderr) = await RunAsync("restore", "--from", backup, "--db", other.DatabasePath);
        tx.Rollback();

        Assert.Equal(1, code);
        Assert.StartsWith($"{other.DatabasePath}: the store is in use by another process", stderr);
        Assert.Equal(before, Dump(other.DatabasePath));
    }

    [Fact]
    public async Task Restore_StoreWithAJobRunningInALiveProcess_RefusedAndChangesNothing()
    {
        var backup = await BackupOfStoreWithDataAsync();
        await using var other = await TestStore.CreateAsync();
        var factory = other.Services.GetRequiredService<IDbContextFactory<WorkbenchDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Set<JobRun>().Add(new JobRun
            {
                Job = "customer-stats", RequestedBy = "test", Status = JobStatus.Running, Trigger = JobTrigger.Demand,
                QueuedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow, Owner = ProcessOwner.Current,
            });
            await db.SaveChangesAsync();
        }
        var before = Dump(other.DatabasePath);

        var (code, _, stderr) = await RunAsync("restore", "--from", backup, "--force", "--db", other.DatabasePath);

        Assert.Equal(1, code);
        Assert.Equal($"{other.DatabasePath}: the store is in use: an import or job of process {ProcessOwner.Current} is running: stop it, then restore", stderr);
        Assert.Equal(before, Dump(other.DatabasePath));
    }

    [Fact]
    public async Task Restore_FileIsNotADatabase_RefusedNamingTheFile()
    {
        var file = Path.Combine(_folder, "notes.db");
        await File.WriteAllTextAsync(file, "these are not the pages of a database, only some text that is long enough to be read as a header.");
        var before = Dump(_store.DatabasePath);

        var (code, stdout, stderr) = await RunAsync("restore", "--from", file, "--db", _store.DatabasePath);

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Equal($"{file}: is not a SQLite database: restore takes a file made by backup --out", stderr);
        Assert.Equal(before, Dump(_store.DatabasePath));
    }

    [Fact]
    public async Task Restore_BackupWithAMigrationThisBuildDoesNotKnow_RefusedNamingTheFileAndTheMigration()
    {
        var backup = await BackupOfStoreWithDataAsync();
        Execute(backup, "INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ('29991231000000_FromTheFuture', '11.0.0')");
        await using var empty = await TestStore.CreateAsync();
        var before = Dump(empty.DatabasePath);

        var (code, _, stderr) = await RunAsync("restore", "--from", backup, "--db", empty.DatabasePath);

        Assert.Equal(1, code);
        Assert.StartsWith($"{backup}: was made by a newer or different Workbench", stderr);
        Assert.Contains("29991231000000_FromTheFuture", stderr);
        Assert.Equal(before, Dump(empty.DatabasePath));
    }

    [Fact]
    public async Task Restore_SqliteFileThatIsNoWorkbenchStore_Refused()
    {
        var file = Path.Combine(_folder, "other.db");
        Execute(file, "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('hello');");

        var (code, _, stderr) = await RunAsync("restore", "--from", file, "--db", _store.DatabasePath);

        Assert.Equal(1, code);
        Assert.StartsWith($"{file}: is a SQLite database but not a Workbench store", stderr);
    }

    [Fact]
    public async Task Help_ListsBackupAndRestore()
    {
        var (code, stdout, _) = await RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("backup --out <file> [--force] [--db <sqlite file>]", stdout);
        Assert.Contains("restore --from <file> [--force] [--db <sqlite file>]", stdout);
        Assert.Equal(LaunchKind.Verb, CommandLine.Classify(["backup", "--out", "x.db"]));
        Assert.Equal(LaunchKind.Verb, CommandLine.Classify(["restore", "--from", "x.db"]));
    }
}
