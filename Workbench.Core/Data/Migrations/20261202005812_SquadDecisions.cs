using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class SquadDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "squad_decisions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    campaign_id = table.Column<string>(type: "TEXT", nullable: false),
                    campaign_name = table.Column<string>(type: "TEXT", nullable: false),
                    run_id = table.Column<long>(type: "INTEGER", nullable: true),
                    decision = table.Column<string>(type: "TEXT", nullable: false),
                    owner = table.Column<string>(type: "TEXT", nullable: false),
                    decided_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    hypothesis = table.Column<string>(type: "TEXT", nullable: false),
                    result = table.Column<string>(type: "TEXT", nullable: false),
                    rationale = table.Column<string>(type: "TEXT", nullable: false),
                    segments = table.Column<string>(type: "TEXT", nullable: false),
                    objectives = table.Column<string>(type: "TEXT", nullable: false),
                    themes = table.Column<string>(type: "TEXT", nullable: false),
                    channels = table.Column<string>(type: "TEXT", nullable: false),
                    recorded_by = table.Column<string>(type: "TEXT", nullable: false),
                    recorded_at = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_squad_decisions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_squad_decisions_campaign_id_decided_on",
                table: "squad_decisions",
                columns: new[] { "campaign_id", "decided_on" });

            migrationBuilder.CreateIndex(
                name: "IX_squad_decisions_decided_on",
                table: "squad_decisions",
                column: "decided_on");

            migrationBuilder.CreateIndex(
                name: "IX_squad_decisions_run_id",
                table: "squad_decisions",
                column: "run_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "squad_decisions");
        }
    }
}
