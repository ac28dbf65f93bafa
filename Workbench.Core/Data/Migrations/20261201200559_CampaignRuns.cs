using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class CampaignRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "campaign_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    campaign_id = table.Column<string>(type: "TEXT", nullable: false),
                    occurrence = table.Column<string>(type: "TEXT", nullable: false),
                    manual = table.Column<bool>(type: "INTEGER", nullable: false),
                    campaign_version = table.Column<int>(type: "INTEGER", nullable: false),
                    campaign_json = table.Column<string>(type: "TEXT", nullable: false),
                    as_of = table.Column<string>(type: "TEXT", nullable: false),
                    holdout_percent = table.Column<double>(type: "REAL", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    claimed_by = table.Column<string>(type: "TEXT", nullable: false),
                    lease_until = table.Column<string>(type: "TEXT", nullable: false),
                    cursor = table.Column<string>(type: "TEXT", nullable: true),
                    processed = table.Column<long>(type: "INTEGER", nullable: false),
                    targeted = table.Column<long>(type: "INTEGER", nullable: false),
                    sent = table.Column<long>(type: "INTEGER", nullable: false),
                    missed = table.Column<int>(type: "INTEGER", nullable: false),
                    requested_by = table.Column<string>(type: "TEXT", nullable: false),
                    started_at = table.Column<string>(type: "TEXT", nullable: false),
                    finished_at = table.Column<string>(type: "TEXT", nullable: true),
                    error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_campaign_runs", x => x.id);
                    table.ForeignKey(
                        name: "FK_campaign_runs_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "workspace_settings",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false),
                    updated_at = table.Column<string>(type: "TEXT", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workspace_settings", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "campaign_sends",
                columns: table => new
                {
                    run_id = table.Column<long>(type: "INTEGER", nullable: false),
                    customer_id = table.Column<string>(type: "TEXT", nullable: false),
                    arm = table.Column<string>(type: "TEXT", nullable: false),
                    variant = table.Column<string>(type: "TEXT", nullable: true),
                    segment_id = table.Column<long>(type: "INTEGER", nullable: true),
                    play_id = table.Column<string>(type: "TEXT", nullable: true),
                    channel = table.Column<string>(type: "TEXT", nullable: true),
                    content_ref = table.Column<string>(type: "TEXT", nullable: true),
                    send_at = table.Column<string>(type: "TEXT", nullable: true),
                    decided_at = table.Column<string>(type: "TEXT", nullable: false),
                    sent = table.Column<bool>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", nullable: false),
                    detail = table.Column<string>(type: "TEXT", nullable: true),
                    score = table.Column<double>(type: "REAL", nullable: true),
                    lost_play_id = table.Column<string>(type: "TEXT", nullable: true),
                    lost_channel = table.Column<string>(type: "TEXT", nullable: true),
                    lost_score = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_campaign_sends", x => new { x.run_id, x.customer_id });
                    table.ForeignKey(
                        name: "FK_campaign_sends_campaign_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "campaign_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_campaign_runs_campaign_id_occurrence",
                table: "campaign_runs",
                columns: new[] { "campaign_id", "occurrence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_campaign_runs_status_lease_until",
                table: "campaign_runs",
                columns: new[] { "status", "lease_until" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "campaign_sends");

            migrationBuilder.DropTable(
                name: "workspace_settings");

            migrationBuilder.DropTable(
                name: "campaign_runs");
        }
    }
}
