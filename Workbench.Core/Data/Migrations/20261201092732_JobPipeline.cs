using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class JobPipeline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "owner",
                table: "import_runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "job_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    request_id = table.Column<long>(type: "INTEGER", nullable: false),
                    job = table.Column<string>(type: "TEXT", nullable: false),
                    trigger = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    requested_by = table.Column<string>(type: "TEXT", nullable: false),
                    queued_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    finished_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    rows = table.Column<long>(type: "INTEGER", nullable: true),
                    progress = table.Column<string>(type: "TEXT", nullable: true),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    owner = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "population_figures",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false),
                    computed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    figures_json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_population_figures", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "touched_customers",
                columns: table => new
                {
                    customer_id = table.Column<string>(type: "TEXT", nullable: false),
                    import_run_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_touched_customers", x => x.customer_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_job_runs_queued_at",
                table: "job_runs",
                column: "queued_at");

            migrationBuilder.CreateIndex(
                name: "IX_job_runs_status",
                table: "job_runs",
                column: "status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "job_runs");

            migrationBuilder.DropTable(
                name: "population_figures");

            migrationBuilder.DropTable(
                name: "touched_customers");

            migrationBuilder.DropColumn(
                name: "owner",
                table: "import_runs");
        }
    }
}
