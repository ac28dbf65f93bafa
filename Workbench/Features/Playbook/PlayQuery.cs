using System.Text.Json;
using Workbench.Core.Playbook;

namespace Workbench.Features.Playbook;

// The playbook pages' query strings name objectives and statuses as the JSON writes them (cross_sell, in_review).
public static class PlayQuery
{
    public static Objective? Objective(string? name) => Parse<Objective>(name);

    public static PlayStatus? Status(string? name) => Parse<PlayStatus>(name);

    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static T? Parse<T>(string? name) where T : struct, Enum =>
        name is null ? null : Enum.GetValues<T>().Cast<T?>().FirstOrDefault(v => Name(v!.Value) == name);

    // What a status change or save came to, said to the person who asked for it.
    public static (bool Ok, string Message) Outcome(PlaySaveResult result, string name, PlayStatus to) =>
        result.Saved is { } saved ? (true, $"“{name}” is now {PlayText.Status(saved.Status)} (version {saved.Version}).")
        : result.Conflict ? (false, $"Not changed: “{name}” was saved meanwhile and is at version {result.CurrentVersion}. Look at it again and retry.")
        : (false, $"“{name}” cannot move to {PlayText.Status(to)}: {string.Join("; ", result.Problems.Where(p => p.Severity == Severity.Error).Select(p => $"{p.Field}: {p.Message}"))}");
}
