using Microsoft.AspNetCore.Authorization;
using Workbench.Core.Users;

namespace Workbench.Security;

// Who may use which area: the one place that maps areas to roles. Pages carry [Authorize(Policy = Access.X)],
// API endpoints .RequireAuthorization(Access.X); everything else needs a signed-in user (the fallback policy).
public static class Access
{
    public const string Home = nameof(Home);
    public const string ViewCustomers = nameof(ViewCustomers);
    public const string Quality = nameof(Quality);
    // Recomputing the data quality figures records a point of its trend: not for Viewers, who only read.
    public const string RecordQuality = nameof(RecordQuality);
    public const string Analytics = nameof(Analytics);
    public const string Segments = nameof(Segments);
    public const string EditSegments = nameof(EditSegments);
    public const string Import = nameof(Import);
    public const string Audit = nameof(Audit);
    public const string Users = nameof(Users);
    public const string Privacy = nameof(Privacy);
    // Analysing experiment files: no Viewers (the files are unit-level data).
    public const string Experiments = nameof(Experiments);
    public const string Jobs = nameof(Jobs);
    // Reading plays and use cases: every role that reads customers. Writing them (create, edit, clone, import):
    // Admins and Marketers.
    public const string Playbook = nameof(Playbook);
    public const string EditPlaybook = nameof(EditPlaybook);
    // Reading campaigns (plays, audience, schedule, control, variants; no person): every role. Writing them: Admins and Marketers.
    public const string Campaigns = nameof(Campaigns);
    public const string EditCampaigns = nameof(EditCampaigns);
    // Changing the global holdout (who receives no campaign at all): Admins.
    public const string ManageHoldout = nameof(ManageHoldout);
    // The KPI overview: aggregates only (no person is shown), so every role.
    public const string Kpis = nameof(Kpis);
    // KPI packs: reading and downloading them (aggregates only, no person): every role. Building one (it reads every run's
    // results and takes the server's time): every role but Viewers.
    public const string Reports = nameof(Reports);
    public const string BuildReports = nameof(BuildReports);
    // Cancelling a running job and starting a rebuild of the derived data.
    public const string RunJobs = nameof(RunJobs);
    public const string SignedIn = nameof(SignedIn);

    // The weekly meeting and the learnings library: everyone reads them; Admins, Marketers and Analysts log decisions
    // (carrying one out on its campaign also needs EditCampaigns).
    public const string Meeting = nameof(Meeting);
    public const string RecordDecisions = nameof(RecordDecisions);

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> RolesByPolicy = new Dictionary<string, IReadOnlyList<string>>
    {
        [Home] = Roles.All,
        [ViewCustomers] = Roles.All,
        [Quality] = Roles.All,
        [RecordQuality] = [Roles.Admin, Roles.Marketer, Roles.Analyst],
        [Analytics] = Roles.All,
        [Kpis] = Roles.All,
        [Segments] = Roles.All,
        [EditSegments] = [Roles.Admin, Roles.Marketer, Roles.Analyst],
        [SignedIn] = Roles.All,
        [Import] = [Roles.Admin, Roles.Marketer],
        [Audit] = [Roles.Admin, Roles.Analyst],
        [Experiments] = [Roles.Admin, Roles.Marketer, Roles.Analyst],
        [Users] = [Roles.Admin],
        [Privacy] = [Roles.Admin],
        [Jobs] = [Roles.Admin, Roles.Analyst],
        [RunJobs] = [Roles.Admin],
        [Playbook] = Roles.All,
        [EditPlaybook] = [Roles.Admin, Roles.Marketer],
        [Campaigns] = Roles.All,
        [EditCampaigns] = [Roles.Admin, Roles.Marketer],
        [ManageHoldout] = [Roles.Admin],
        [Meeting] = Roles.All,
        [RecordDecisions] = [Roles.Admin, Roles.Marketer, Roles.Analyst],
        [Reports] = Roles.All,
        [BuildReports] = [Roles.Admin, Roles.Marketer, Roles.Analyst],
    };

    public static void Configure(AuthorizationOptions options)
    {
        foreach (var (policy, roles) in RolesByPolicy)
        {
            options.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        }
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
