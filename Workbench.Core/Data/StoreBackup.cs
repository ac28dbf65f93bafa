using Microsoft.EntityFrameworkCore;
using Workbench.Core.Data.Store;

namespace Workbench.Core.Data;

public sealed record TableRows(string Table, long Rows);

// What a store file holds: its size, SQLite's integrity verdict ("ok" or the first problems), the migrations it is at
// (oldest first) and every table's row count.
public sealed record BackupContents(long Bytes, string Integrity, IReadOnlyList<string> Migrations, IReadOnlyList<TableRows> Tables)
{
    public bool IntegrityOk => Integrity == "ok";

    public string? Migration => Migrations.Count > 0 ? Migrations[^1] : null;

    public long RowsOf(string table) => Tables.FirstOrDefault(t => t.Table == table)?.Rows ?? 0;

    public long TotalRows => Tables.Sum(t => t.Rows);
}

// Error is "file: what is wrong: what to do"; Contents is the backup (or the restored store) when it succeeded.
public sealed record BackupResult(string? Error, BackupContents? Contents)
{
    public bool Succeeded => Error is null;
}

// backup and restore of the store file, through the provider's own backup (SQLite's online backup API).
public static class StoreBackup
{
    // What makes a store "not empty" for a restore: the data the imports bring (the rest is settings and derived data).
    public static readonly string[] DataTables = ["customers", "products", "order_lines", "events", "consents"];

    // The copy is made beside the target under a hidden temporary name and renamed when it is complete and checked,
    // so a failed or killed backup never leaves a partial file under the target's name.
    public static BackupResult Backup(StoreLocation store, string targetFile, bool force)
    {
        var source = Path.GetFullPath(store.DatabasePath);
        var target = Path.GetFullPath(targetFile);
        if (!File.Exists(source))
            return Fail($"{source}: there is no store here: check --db (or ConnectionStrings__Workbench), or start the app once to create it");
        if (Directory.Exists(target))
            return Fail($"{target}: is a folder: name the backup file, e.g. --out {Path.Combine(target, "workbench-backup.db")}");
        var directory = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(directory))
            return Fail($"{target}: the folder {directory} does not exist: create it or choose another --out");
        if (SameFile(source, target))
            return Fail($"{target}: is the store itself: choose another --out");
        if (File.Exists(target) && !force)
            return Fail($"{target}: already exists: choose another --out, or add --force to replace it");

        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        try
        {
            StoreProvider.Backup(source, temporary);
            var contents = StoreProvider.InspectBackup(temporary);
            if (!contents.IntegrityOk)
                return Fail($"{target}: the copy failed SQLite's integrity check ({contents.Integrity}), so it was not kept: check the store {source} (PRAGMA integrity_check)");
            File.Move(temporary, target, overwrite: force);
            return new BackupResult(null, contents);
        }
        catch (StoreException e) when (e.Message.StartsWith(temporary + ": ", StringComparison.Ordinal))
        {
            // What SQLite says of the temporary copy is said of the target: the user never sees the temporary name.
            var problem = e.Message[(temporary.Length + 2)..];
            return Fail(problem.StartsWith("is damaged", StringComparison.Ordinal)
                ? $"{target}: the copy {problem}, so it was not kept: check the store {source} (PRAGMA integrity_check)"
                : $"{target}: {problem}; no backup was written");
        }
        catch (StoreException e)
        {
            return Fail($"{e.Message}; no backup was written to {target}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"{target}: {e.Message.TrimEnd('.')}: check the folder is writable and has space; no backup was written");
        }
        finally
        {
            DeleteQuietly(temporary);
            foreach (var suffix in new[] { "-journal", "-wal", "-shm" }) DeleteQuietly(temporary + suffix);
        }
    }

    // Checks the file (a SQLite database, integrity ok, a Workbench store none of whose migrations is unknown to this
    // build), then copies it into the store through the backup API. The store must be free (no other connection holds
    // it) and, without force, hold no data. Older backups are fine: the migrations they lack are applied at start-up.
    public static BackupResult Restore(StoreLocation store, string sourceFile, bool force)
    {
        var source = Path.GetFullPath(sourceFile);
        var target = Path.GetFullPath(store.DatabasePath);
        if (!File.Exists(source)) return Fail($"{source}: there is no such file: check --from");
        if (SameFile(source, target)) return Fail($"{source}: is the store itself: name a backup made by backup --out");

        BackupContents backup;
        try
        {
            backup = StoreProvider.InspectBackup(source);
        }
        catch (StoreException e)
        {
            return Fail($"{e.Message}: restore takes a file made by backup --out");
        }
        if (!backup.IntegrityOk)
            return Fail($"{source}: fails SQLite's integrity check ({backup.Integrity}): restore another backup");
        if (backup.Migrations.Count == 0)
            return Fail($"{source}: is a SQLite database but not a Workbench store (no __EFMigrationsHistory): restore takes a file made by backup --out");
        var known = KnownMigrations(store).ToHashSet(StringComparer.Ordinal);
        var unknown = backup.Migrations.Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
            return Fail($"{source}: was made by a newer or different Workbench (migrations this build does not know: {string.Join(", ", unknown)}): restore it with the version that made it");

        try
        {
            using var locked = StoreProvider.LockForRestore(target, probe => RefusalOf(probe, target, source, force));
            if (locked.InUse)
                return Fail($"{target}: the store is in use by another process (the app, an import, a job): stop it, then restore");
            if (locked.Refusal is { } refusal) return Fail(refusal);
            StoreProvider.Restore(locked, source);
        }
        catch (StoreException e)
        {
            return Fail($"{e.Message}; the store {target} was not restored");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"{target}: {e.Message.TrimEnd('.')}: check the store's folder is writable and has space");
        }

        StoreLocation.ReleaseConnections();
        var restored = StoreProvider.InspectBackup(target);
        var differing = backup.Tables.Where(t => restored.RowsOf(t.Table) != t.Rows).Select(t => t.Table).ToList();
        if (!restored.IntegrityOk || differing.Count > 0)
            return Fail($"{target}: after the restore the store does not match {source} (integrity {restored.Integrity}; tables differing: {string.Join(", ", differing)}): restore again with --force");
        return new BackupResult(null, restored);
    }

    // A store whose import or job run is Running in a process that still lives is in use even between its transactions;
    // a store with data is replaced only with force.
    private static string? RefusalOf(IStoreProbe probe, string target, string source, bool force)
    {
        var owners = new List<string>();
        if (probe.HasTable("job_runs")) owners.AddRange(probe.Strings("SELECT owner FROM job_runs WHERE status = 'Running'"));
        if (probe.HasTable("import_runs")) owners.AddRange(probe.Strings("SELECT owner FROM import_runs WHERE outcome = 'Running'"));
        if (owners.FirstOrDefault(ProcessOwner.IsAlive) is { } owner)
            return $"{target}: the store is in use: an import or job of process {owner} is running: stop it, then restore";
        if (!force && DataTables.Any(t => probe.HasTable(t) && probe.Count(t) > 0))
            return $"{target}: the store holds data (customers, products, order lines, events or consents): add --force to replace it with {source}";
        return null;
    }

    public static IReadOnlyList<string> KnownMigrations(StoreLocation store)
    {
        var options = new DbContextOptionsBuilder<WorkbenchDbContext>();
        store.UseFor(options);
        using var db = new WorkbenchDbContext(options.Options);
        return db.Database.GetMigrations().ToList();
    }

    private static BackupResult Fail(string error) => new(error, null);

    private static bool SameFile(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    private static void DeleteQuietly(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
