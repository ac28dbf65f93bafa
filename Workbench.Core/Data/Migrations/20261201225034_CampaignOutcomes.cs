using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class CampaignOutcomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // WITHOUT ROWID by plain SQL (EF Core has no model setting for it; the model is the generated one): an outcome
            // lives once, in its send's key order, so a run's results read the run's outcomes as one range.
            migrationBuilder.Sql("""
                CREATE TABLE "campaign_outcomes" (
                    "run_id" INTEGER NOT NULL,
                    "customer_id" TEXT NOT NULL,
                    "delivered_at" TEXT NULL,
                    "opened_at" TEXT NULL,
                    "clicked_at" TEXT NULL,
                    "converted_at" TEXT NULL,
                    "revenue" REAL NULL,
                    "margin" REAL NULL,
                    "unsubscribed_at" TEXT NULL,
                    "import_id" INTEGER NOT NULL,
                    "created_import_id" INTEGER NOT NULL,
                    "seen_import_id" INTEGER NOT NULL,
                    "revision" INTEGER NOT NULL,
                    CONSTRAINT "PK_campaign_outcomes" PRIMARY KEY ("run_id", "customer_id"),
                    CONSTRAINT "FK_campaign_outcomes_campaign_runs_run_id" FOREIGN KEY ("run_id") REFERENCES "campaign_runs" ("id") ON DELETE CASCADE
                ) WITHOUT ROWID;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "campaign_outcomes");
        }
    }
}
