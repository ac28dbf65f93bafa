using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Data;
using Workbench.Core.Import;
using Workbench.Core.Segments;

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
        services.AddSingleton<SegmentService>();
        return services;
    }
}
