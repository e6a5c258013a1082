using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FundingPortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CiUsageRollup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "Credits",
                table: "CiUsageRecords",
                type: "TEXT",
                precision: 18,
                scale: 6,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.CreateTable(
                name: "CiUsageMonths",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProviderId = table.Column<int>(type: "INTEGER", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Project = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    JobName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    IsRetry = table.Column<bool>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Runs = table.Column<long>(type: "INTEGER", nullable: false),
                    DurationSeconds = table.Column<long>(type: "INTEGER", nullable: false),
                    RawMinutes = table.Column<decimal>(type: "TEXT", precision: 20, scale: 4, nullable: false),
                    QuotaMinutes = table.Column<decimal>(type: "TEXT", precision: 20, scale: 4, nullable: false),
                    Credits = table.Column<decimal>(type: "TEXT", precision: 20, scale: 4, nullable: false),
                    ListAmountMicros = table.Column<long>(type: "INTEGER", nullable: false),
                    PaidAmountMicros = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CiUsageMonths", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CiUsageMonths_CiProviders_ProviderId",
                        column: x => x.ProviderId,
                        principalTable: "CiProviders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CiUsageMonths_Month",
                table: "CiUsageMonths",
                column: "Month");

            migrationBuilder.CreateIndex(
                name: "IX_CiUsageMonths_ProviderId_Month_Project_JobName_Status_IsRetry_Currency",
                table: "CiUsageMonths",
                columns: new[] { "ProviderId", "Month", "Project", "JobName", "Status", "IsRetry", "Currency" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CiUsageMonths");

            migrationBuilder.DropColumn(
                name: "Credits",
                table: "CiUsageRecords");
        }
    }
}
