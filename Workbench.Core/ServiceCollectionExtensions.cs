using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Customers;
using Workbench.Core.Customers.Quality;
using Workbench.Core.Data;
using Workbench.Core.Import;
using Workbench.Core.Segments.Clv;
using Workbench.Core.Segments.Features;

namespace Workbench.Core;

public static class ServiceCollectionExtensions
{
    public static IServiceCollection AddWorkbenchCore(this IServiceCollection services, StoreLocation store)
    {
        services.AddSingleton(store);
        services.AddSingleton(TimeProvider.System);
        services.AddDbContextFactory<WorkbenchDbContext>(o => o.UseSqlite(store.ConnectionString));
        services.AddSingleton<ImportService>();
        services.AddSingleton<StoreInitializer>();
        services.AddSingleton<QualityService>();
        services.AddSingleton<IImportFollowUp>(sp => sp.GetRequiredService<QualityService>());
        services.AddSingleton<CustomerService>();
        services.AddSingleton<FeatureService>();
        services.AddSingleton<ClvService>();
        services.AddSingleton<IImportFollowUp>(sp => sp.GetRequiredService<FeatureService>());
        return services;
    }
}
