using System.Globalization;
using Workbench.Core.Data;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // backup --out <file> [--force]: SQLite's online backup of the store, consistent while the app runs and writes.
    private static async Task<int> BackupVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        args.AllowOnly("db", "out", "force");
        if (args.Positional.Count > 0) throw new CliUsageException("backup takes no arguments: backup --out <file> [--force] [--db <sqlite file>]");
        var target = args.Get("out") ?? throw new CliUsageException("--out <file> names the backup file to write");
        var store = ResolveStore(args.Get("db"));
        var result = StoreBackup.Backup(store, target, args.Has("force"));
        if (!result.Succeeded)
        {
            await stderr.WriteLineAsync(result.Error);
            return 1;
        }
        await stdout.WriteLineAsync($"backed up {Path.GetFullPath(store.DatabasePath)} to {Path.GetFullPath(target)}");
        await WriteContentsAsync(stdout, result.Contents!);
        return 0;
    }

    // restore --from <file> [--force]: the backup checked, then copied into the store (free, and empty unless --force).
    private static async Task<int> RestoreVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        args.AllowOnly("db", "from", "force");
        if (args.Positional.Count > 0) throw new CliUsageException("restore takes no arguments: restore --from <file> [--force] [--db <sqlite file>]");
        var source = args.Get("from") ?? throw new CliUsageException("--from <file> names the backup to restore (made by backup --out)");
        var store = ResolveStore(args.Get("db"));
        var result = StoreBackup.Restore(store, source, args.Has("force"));
        if (!result.Succeeded)
        {
            await stderr.WriteLineAsync(result.Error);
            return 1;
        }
        await stdout.WriteLineAsync($"restored {Path.GetFullPath(source)} into {Path.GetFullPath(store.DatabasePath)}");
        await WriteContentsAsync(stdout, result.Contents!);
        await stdout.WriteLineAsync("migrations this backup lacks are applied when the app or a verb next opens the store");
        return 0;
    }

    private static StoreLocation ResolveStore(string? dbFile) =>
        StoreLocation.Resolve(Environment.GetEnvironmentVariable("ConnectionStrings__Workbench"), AppPaths.AppDirectory, dbFile);

    private static async Task WriteContentsAsync(TextWriter stdout, BackupContents contents)
    {
        var c = CultureInfo.InvariantCulture;
        await stdout.WriteLineAsync(string.Create(c,
            $"  {contents.Bytes:N0} bytes ({contents.Bytes / 1048576.0:0.0} MB), integrity {contents.Integrity}, migration {contents.Migration ?? "none"}"));
        await stdout.WriteLineAsync(string.Create(c,
            $"  {contents.Tables.Count} tables, {contents.TotalRows:N0} rows: customers {contents.RowsOf("customers"):N0}, products {contents.RowsOf("products"):N0}, " +
            $"order lines {contents.RowsOf("order_lines"):N0}, events {contents.RowsOf("events"):N0}, consents {contents.RowsOf("consents"):N0}, " +
            $"campaign runs {contents.RowsOf("campaign_runs"):N0}"));
    }
}
