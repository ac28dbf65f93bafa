using MudBlazor.Services;
using Workbench;
using Workbench.Api;
using Workbench.Cli;
using Workbench.Components;
using Workbench.Core;
using Workbench.Core.Data;
using Workbench.Core.Import;
using Workbench.Core.Jobs;
using Workbench.Core.Users;
using Workbench.Security;

switch (CommandLine.Classify(args))
{
    case LaunchKind.Verb: return await CommandLine.RunAsync(args, Console.Out, Console.Error);
    case LaunchKind.Unknown: return CommandLine.RefuseUnknown(args, Console.Error);
}

var builder = WebApplication.CreateBuilder(AppPaths.WithContentRoot(CommandLine.ServerArguments(args)));
// Static assets (MudBlazor, Plotly) are served from the build output in every environment, not only Development.
builder.WebHost.UseStaticWebAssets();
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);

var store = StoreLocation.Resolve(builder.Configuration.GetConnectionString("Workbench"), AppPaths.AppDirectory);
builder.Services.AddSingleton(new JobScheduleOptions(
    builder.Configuration["Workbench:Jobs:DailyCron"] ?? "0 3 * * *",
    builder.Configuration["Workbench:StoreTimeZone"] ?? "UTC"));
builder.Services.AddSingleton(new Workbench.Core.Reports.WeeklyKpiPackOptions(
    builder.Configuration["Workbench:Reports:WeeklyCron"] ?? "0 6 * * 1",
    builder.Configuration["Workbench:Reports:WeeklyTimeZone"] ?? "UTC"));
builder.Services.AddWorkbenchCore(store);
builder.Services.AddHostedService<Workbench.Features.Jobs.JobScheduleHost>();
builder.Services.AddHostedService<Workbench.Features.Campaigns.CampaignSchedulerHost>();
builder.Services.AddHostedService<Workbench.Features.Reports.WeeklyKpiPackHost>();
builder.Services.AddSingleton(new ImportLimits(
    builder.Configuration.GetValue("Workbench:Import:MaxFieldChars", ImportLimits.Default.MaxFieldChars),
    builder.Configuration.GetValue("Workbench:Import:MaxRecordChars", ImportLimits.Default.MaxRecordChars)));
builder.Services.AddSingleton(new Workbench.Core.Segments.SegmentLimits(TimeSpan.FromSeconds(
    builder.Configuration.GetValue("Workbench:Segments:QueryTimeLimitSeconds", Workbench.Core.Segments.SegmentLimits.Default.TimeLimit.TotalSeconds))));
builder.Services.AddMudServices();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddOpenApi();
builder.Services.AddWorkbenchSecurity(builder.Configuration, builder.Environment);
builder.Services.AddSingleton<CustomerSearchLimiter>();
builder.Services.AddSingleton<PlaybookPreviewLimiter>();

var app = builder.Build();

await app.Services.GetRequiredService<StoreInitializer>().InitializeAsync(
    new StoreInitializerOptions(
        LoadSampleData: app.Configuration.GetValue("Workbench:LoadSampleData", true),
        SampleDataDirectory: app.Configuration["Workbench:SampleData"] ?? SampleDataLocator.Find(app.Environment.ContentRootPath)),
    app.Lifetime.ApplicationStopping);
await FirstAdmin.EnsureAsync(app.Services, app.Configuration, Console.Out, app.Lifetime.ApplicationStopping);

app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseWhen(context => !ApiProblems.IsApiCall(context), branch => branch.UseExceptionHandler("/Error", createScopeForErrors: true));
}
app.UseApiProblems();
if (SecurityHeaders.IsHttpsBound(app.Configuration))
{
    app.UseHttpsRedirection();
}
// Pages show the not-found page for a bare status code; the API (and any request with an API token) answers with
// problem details instead (ApiProblems).
app.UseWhen(context => !ApiProblems.IsApiCall(context),
    branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
// Routing after the status code pages, so the re-executed request finds the not-found page's endpoint.
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.UseRequestForgeryProtection();

app.MapStaticAssets().AllowAnonymous();
app.MapAccountEndpoints();
app.MapImportApi();
app.MapCustomerApi();
app.MapOpenApi();
app.MapAuditApi();
app.MapPrivacyApi();
app.MapSegmentApi();
app.MapPlaybookApi();
app.MapCampaignApi();
app.MapCampaignRunApi();
app.MapEventApi();
app.MapOutcomeApi();
app.MapDecisioningApi();
app.MapReportApi();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;

public partial class Program;
