using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class TriggeredRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "imports_after",
                table: "campaign_runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "imports_through",
                table: "campaign_runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "window_start",
                table: "campaign_runs",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "imports_after",
                table: "campaign_runs");

            migrationBuilder.DropColumn(
                name: "imports_through",
                table: "campaign_runs");

            migrationBuilder.DropColumn(
                name: "window_start",
                table: "campaign_runs");
        }
    }
}
