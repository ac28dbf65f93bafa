using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Workbench.Core.Analytics.CustomerFeatures;
using Workbench.Core.Audit;
using Workbench.Core.Customers;
using Workbench.Core.Quality;
using Workbench.Core.Import;
using Workbench.Core.Jobs;
using Workbench.Core.Analytics.ValueDrivers;
using Workbench.Core.Users;

namespace Workbench.Core.Data;

public sealed class WorkbenchDbContext(DbContextOptions<WorkbenchDbContext> options) : IdentityDbContext<WorkbenchUser>(options)
{
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<OrderLine> OrderLines => Set<OrderLine>();
    public DbSet<CustomerEvent> Events => Set<CustomerEvent>();
    public DbSet<Consent> Consents => Set<Consent>();
    public DbSet<CustomerFieldSource> CustomerFieldSources => Set<CustomerFieldSource>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();
    public DbSet<CustomerFeature> CustomerFeatures => Set<CustomerFeature>();
    public DbSet<CustomerCategoryActivity> CustomerCategoryActivity => Set<CustomerCategoryActivity>();
    public DbSet<CustomerEventActivity> CustomerEventActivity => Set<CustomerEventActivity>();
    public DbSet<GatewayEntry> GatewayEntries => Set<GatewayEntry>();
    public DbSet<CategoryTransition> CategoryTransitions => Set<CategoryTransition>();
    public DbSet<CustomerStat> CustomerStats => Set<CustomerStat>();
    public DbSet<QualitySnapshot> QualitySnapshots => Set<QualitySnapshot>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<JobRun> JobRuns => Set<JobRun>();
    public DbSet<TouchedCustomer> TouchedCustomers => Set<TouchedCustomer>();
    public DbSet<PopulationFiguresRow> PopulationFigures => Set<PopulationFiguresRow>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<StoreTime.Converter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WorkbenchDbContext).Assembly);

        // snake_case columns: the importer and the analytics write plain SQL against them.
        // Identity's own tables keep Identity's names.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (IsIdentityTable(entity.ClrType)) continue;
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    private static bool IsIdentityTable(Type type) =>
        type == typeof(WorkbenchUser) || type.Namespace == typeof(IdentityRole).Namespace;

    internal static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i > 0 && (char.IsUpper(c) || (char.IsDigit(c) && !char.IsDigit(name[i - 1])))) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
