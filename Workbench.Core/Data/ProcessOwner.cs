using System.Diagnostics;
using System.Globalization;

namespace Workbench.Core.Data;

// "machine/pid/start ticks" of a process, so a later process can tell a run whose process still lives from one whose
// process was killed (a pid alone can be reused).
public static class ProcessOwner
{
    public static string Current { get; } = Describe(Environment.ProcessId, StartTicks(Process.GetCurrentProcess()));

    public static string Describe(int pid, long startTicks) =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{pid}/{startTicks}");

    public static bool IsAlive(string? owner)
    {
        if (owner is null) return false;
        var parts = owner.Split('/');
        if (parts.Length != 3 || parts[0] != Environment.MachineName) return false;
        if (!int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid) || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var ticks))
            return false;
        if (owner == Current) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && StartTicks(process) == ticks;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static long StartTicks(Process process) => process.StartTime.ToUniversalTime().Ticks;
}
