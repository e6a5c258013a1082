using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FundingPortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CiReportRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_CiUsageRecords_CiProviders_ProviderId",
                table: "CiUsageRecords");

            migrationBuilder.DropForeignKey(
                name: "FK_CiUsageRecords_ImportBatches_BatchId",
                table: "CiUsageRecords");

            migrationBuilder.AddColumn<long>(
                name: "LongestDurationSeconds",
                table: "CiUsageMonths",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "CiUsageDays",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProviderId = table.Column<int>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Runs = table.Column<long>(type: "INTEGER", nullable: false),
                    QuotaMinutes = table.Column<decimal>(type: "TEXT", precision: 20, scale: 4, nullable: false),
                    Credits = table.Column<decimal>(type: "TEXT", precision: 20, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CiUsageDays", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CiUsageDays_CiProviders_ProviderId",
                        column: x => x.ProviderId,
                        principalTable: "CiProviders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CiUsageDays_ProviderId_Day",
                table: "CiUsageDays",
                columns: new[] { "ProviderId", "Day" },
                unique: true);

            // The roll-ups start out equal to the records of completed batches, as imports and rollbacks keep them (ADR 13).
            migrationBuilder.Sql("""
                UPDATE "CiUsageMonths" AS m SET "LongestDurationSeconds" = COALESCE((
                    SELECT MAX(r."DurationSeconds") FROM "CiUsageRecords" AS r
                    WHERE r."ProviderId" = m."ProviderId" AND r."Project" = m."Project" AND r."JobName" = m."JobName"
                      AND r."StartedAt" >= m."Month" AND r."StartedAt" < date(m."Month", '+1 month')
                      AND r."Status" = m."Status" AND r."IsRetry" = m."IsRetry" AND r."Currency" = m."Currency"
                      AND r."BatchId" IN (SELECT b."Id" FROM "ImportBatches" AS b WHERE b."Status" = 'Completed')), 0)
                """);
            migrationBuilder.Sql("""
                INSERT INTO "CiUsageDays" ("ProviderId", "Day", "Runs", "QuotaMinutes", "Credits")
                SELECT "ProviderId", substr("StartedAt", 1, 10), COUNT(*), ROUND(SUM("QuotaMinutes"), 6), ROUND(SUM("Credits"), 6)
                FROM "CiUsageRecords"
                WHERE "BatchId" IN (SELECT b."Id" FROM "ImportBatches" AS b WHERE b."Status" = 'Completed')
                GROUP BY "ProviderId", substr("StartedAt", 1, 10)
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CiUsageDays");

            migrationBuilder.DropColumn(
                name: "LongestDurationSeconds",
                table: "CiUsageMonths");

            migrationBuilder.AddForeignKey(
                name: "FK_CiUsageRecords_CiProviders_ProviderId",
                table: "CiUsageRecords",
                column: "ProviderId",
                principalTable: "CiProviders",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_CiUsageRecords_ImportBatches_BatchId",
                table: "CiUsageRecords",
                column: "BatchId",
                principalTable: "ImportBatches",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
