using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    // Per-field provenance. WITHOUT ROWID by plain SQL (EF Core has no model setting for it; the model is the generated
    // one): each row lives once, in its primary key's b-tree. A store from before knew only the import that last changed
    // each row: a customer changed since its first import gets that import for each non-empty field (what the profile
    // showed until now); a customer never changed needs no row (its first import is exact).
    public partial class CustomerFieldSources : Migration
    {
        private static readonly string[] Fields =
        [
            "first_name", "last_name", "email", "phone", "birth_date", "gender", "city", "region", "postal_code", "country",
            "home_store", "signup_date", "loyalty_tier", "loyalty_points", "preferred_channel", "time_zone",
        ];

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "customer_field_sources" (
                    "customer_id" TEXT NOT NULL,
                    "field" TEXT NOT NULL,
                    "import_run_id" INTEGER NOT NULL,
                    "changed_at" TEXT NOT NULL,
                    CONSTRAINT "PK_customer_field_sources" PRIMARY KEY ("customer_id", "field")
                ) WITHOUT ROWID;
                """);
            foreach (var field in Fields)
            {
                migrationBuilder.Sql($"""
                    INSERT INTO "customer_field_sources" (customer_id, field, import_run_id, changed_at)
                    SELECT c.customer_id, '{field}', c.import_id, r.started_at
                    FROM customers c JOIN import_runs r ON r.id = c.import_id
                    WHERE c.import_id <> c.created_import_id AND c.{field} IS NOT NULL;
                    """);
            }
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "customer_field_sources");
        }
    }
}
