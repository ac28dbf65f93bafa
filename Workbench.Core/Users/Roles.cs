namespace Workbench.Core.Users;

// Admin: users, settings, everything. Marketer: import, segments, plays, campaigns.
// Analyst: reads everything, segments and experiment analysis, no campaign scheduling.
// Viewer: read-only, personal data masked.
public static class Roles
{
    public const string Admin = "Admin";
    public const string Marketer = "Marketer";
    public const string Analyst = "Analyst";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Marketer, Analyst, Viewer];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);
}
