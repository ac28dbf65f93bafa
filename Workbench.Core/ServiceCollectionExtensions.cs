using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workbench.Core.Analytics.CustomerFeatures;
using Workbench.Core.Jobs;
using Workbench.Core.Customers;
using Workbench.Core.Quality;
using Workbench.Core.Audit;
using Workbench.Core.Privacy;
using Workbench.Core.Data;
using Workbench.Core.Experiments;
using Workbench.Core.Import;
using Workbench.Core.Analytics.Clv;
using Workbench.Core.Analytics.ValueDrivers;
using Workbench.Core.Users;
using Workbench.Core.Segments;
using Workbench.Core.Segments.Facts;
using Workbench.Core.Kpis;
using Workbench.Core.Decisioning;
using Workbench.Core.Playbook;

namespace Workbench.Core;

public static class ServiceCollectionExtensions
{
    public static IServiceCollection AddWorkbenchCore(this IServiceCollection services, StoreLocation store)
    {
        services.AddSingleton(store);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<StoreWriteGate>();
        services.AddDbContextFactory<WorkbenchDbContext>(o => store.UseFor(o));
        services.AddSingleton<AuditService>();
        services.AddSingleton<ImportService>();
        services.AddSingleton<StoreInitializer>();
        services.AddSingleton<QualityService>();
        services.AddSingleton<CustomerService>();
        services.AddSingleton<FeatureService>();
        services.AddSingleton<ClvService>();
        services.AddSingleton<ValueDriverService>();
        services.AddSingleton<IncrementalFeatures>();
        services.AddSingleton<UserService>();
        services.AddSingleton<ApiTokenService>();
        services.AddSingleton<UserSessionService>();
        services.AddSingleton<CustomerPrivacyService>();
        AddWorkbenchIdentity(services);
        services.AddSingleton<SegmentFactsCache>();
        services.AddSingleton<SegmentService>();
        services.AddSingleton<KpiService>();
        AddJobs(services);
        services.AddSingleton<ExperimentFileAnalyzer>();
        services.AddSingleton<PlaybookStore>();
        services.AddSingleton<Campaigns.CampaignStore>();
        services.AddSingleton<Campaigns.GlobalHoldout>();
        services.AddSingleton<Campaigns.CampaignRunner>();
        services.AddSingleton<Campaigns.CampaignOutcomeService>();
        services.AddSingleton<Campaigns.OutcomeSimulation>();
        services.AddSingleton<Campaigns.CampaignResultService>();
        services.AddSingleton<Campaigns.ScalingRecommendations>();
        services.AddSingleton<Learning.DecisionLog>();
        services.AddSingleton<Learning.SquadMeeting>();
        services.AddSingleton<PropensityOutcomes>();
        services.AddSingleton<Campaigns.CampaignScheduler>();
        services.AddSingleton<BasketModelService>();
        services.AddSingleton<PlaybookPreviewService>();
        services.AddSingleton<PlaybookInsightsService>();
        services.AddSingleton<NextBestActionService>();
        services.AddSingleton<ISampleDataSeed, PlaybookStarterSeed>();
        services.AddSingleton<ISampleDataSeed, Campaigns.SampleExperimentSeed>();
        services.AddSingleton<Reports.KpiPackService>();
        services.TryAddSingleton(new Reports.WeeklyKpiPackOptions());
        services.AddSingleton<Reports.WeeklyKpiPacks>();
        return services;
    }

    // The derived datasets and the pipeline that keeps them current; what runs after an import is the pipeline.
    private static void AddJobs(IServiceCollection services)
    {
        services.AddSingleton<IJob, CustomerStatsJob>();
        services.AddSingleton<IJob, CustomerFeaturesJob>();
        services.AddSingleton<IJob, SegmentMembershipsJob>();
        services.AddSingleton<IJob, KpiMonthsJob>();
        services.AddSingleton<IJob, QualitySnapshotJob>();
        services.AddSingleton<IJob, BasketModelJob>();
        services.AddSingleton<JobPipeline>();
        services.AddSingleton<IImportFollowUp>(sp => sp.GetRequiredService<JobPipeline>());
        services.TryAddSingleton(new JobScheduleOptions());
        services.AddSingleton<JobScheduler>();
    }

    // Identity's user and role stores on the same SQLite store. Defaults: Identity's password rules,
    // lockout after 5 failed sign-ins for 5 minutes, also for new users.
    public static IdentityBuilder AddWorkbenchIdentity(this IServiceCollection services) =>
        services.AddIdentityCore<WorkbenchUser>(o =>
            {
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<WorkbenchDbContext>();
}
