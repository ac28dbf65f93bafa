using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    // The two activity tables become WITHOUT ROWID (EF Core has no model setting for it, hence plain SQL; the model is
    // unchanged): each row lives once, in its primary key's b-tree, instead of in a row table plus the key's index, so
    // the feature rebuild writes a third less, and the (category, last_bought_at) and (type, last_at) indexes carry
    // customer_id, so a segment condition that starts from them never visits the table. Should a later migration have
    // EF Core rebuild either table, it must keep WITHOUT ROWID (FeatureService's rebuild relies on it only for speed).
    public partial class ActivityTablesWithoutRowid : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Rebuild(withoutRowid: true));
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Rebuild(withoutRowid: false));
        }

        private static string Rebuild(bool withoutRowid)
        {
            var suffix = withoutRowid ? " WITHOUT ROWID" : "";
            return $"""
                CREATE TABLE "customer_category_activity_new" (
                    "customer_id" TEXT NOT NULL,
                    "category" TEXT NOT NULL,
                    "net_spend" REAL NOT NULL,
                    "share" REAL NOT NULL,
                    "orders" INTEGER NOT NULL,
                    "last_bought_at" TEXT NOT NULL,
                    CONSTRAINT "PK_customer_category_activity" PRIMARY KEY ("customer_id", "category")
                ){suffix};
                INSERT INTO "customer_category_activity_new" SELECT customer_id, category, net_spend, share, orders, last_bought_at FROM "customer_category_activity";
                DROP TABLE "customer_category_activity";
                ALTER TABLE "customer_category_activity_new" RENAME TO "customer_category_activity";
                CREATE INDEX "IX_customer_category_activity_category_last_bought_at" ON "customer_category_activity" ("category", "last_bought_at");

                CREATE TABLE "customer_event_activity_new" (
                    "customer_id" TEXT NOT NULL,
                    "type" TEXT NOT NULL,
                    "total" INTEGER NOT NULL,
                    "last_90d" INTEGER NOT NULL,
                    "last_at" TEXT NOT NULL,
                    CONSTRAINT "PK_customer_event_activity" PRIMARY KEY ("customer_id", "type")
                ){suffix};
                INSERT INTO "customer_event_activity_new" SELECT customer_id, type, total, last_90d, last_at FROM "customer_event_activity";
                DROP TABLE "customer_event_activity";
                ALTER TABLE "customer_event_activity_new" RENAME TO "customer_event_activity";
                CREATE INDEX "IX_customer_event_activity_type_last_at" ON "customer_event_activity" ("type", "last_at");
                """;
        }
    }
}
