using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FundingPortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LedgerRollup : Migration
    {
        // Every ledger entry is added to its month's rows by a trigger, in the statement that inserts it, so no code path can
        // append to the ledger and miss the roll-up (ADR 0009). The ledger is append-only: inserts are the only change to follow.
        // Dates are stored as text here: the month of '2026-11-28 17:15:44.123' is '2026-11-01'.
        private const string CreateTrigger = """
            CREATE TRIGGER "LedgerEntries_RollUp" AFTER INSERT ON "LedgerEntries"
            BEGIN
                INSERT INTO "LedgerMonths" ("FundId", "Month", "Kind", "OfKind", "InMinor", "OutMinor", "Entries")
                VALUES (NEW."FundId", substr(NEW."OccurredAt", 1, 7) || '-01', NEW."Kind",
                        CASE WHEN NEW."Kind" = 'Reversal'
                             THEN coalesce((SELECT r."Kind" FROM "LedgerEntries" r WHERE r."Id" = NEW."ReversesEntryId"), NEW."Kind")
                             ELSE NEW."Kind" END,
                        max(NEW."AmountMinor", 0), max(-NEW."AmountMinor", 0), 1)
                ON CONFLICT ("FundId", "Month", "Kind", "OfKind") DO UPDATE
                SET "InMinor" = "InMinor" + excluded."InMinor",
                    "OutMinor" = "OutMinor" + excluded."OutMinor",
                    "Entries" = "Entries" + 1;

                INSERT INTO "SponsorMonths" ("OrganisationId", "Month", "GivenMinor", "Entries")
                SELECT NEW."CounterpartyOrganisationId", substr(NEW."OccurredAt", 1, 7) || '-01', NEW."AmountMinor", 1
                WHERE NEW."CounterpartyOrganisationId" IS NOT NULL AND NEW."Kind" IN ('Contribution', 'Refund')
                ON CONFLICT ("OrganisationId", "Month") DO UPDATE
                SET "GivenMinor" = "GivenMinor" + excluded."GivenMinor",
                    "Entries" = "Entries" + 1;
            END;
            """;

        // The entries booked before this migration.
        private const string Backfill = """
            INSERT INTO "LedgerMonths" ("FundId", "Month", "Kind", "OfKind", "InMinor", "OutMinor", "Entries")
            SELECT e."FundId", substr(e."OccurredAt", 1, 7) || '-01', e."Kind",
                   CASE WHEN e."Kind" = 'Reversal' THEN coalesce(r."Kind", e."Kind") ELSE e."Kind" END,
                   sum(max(e."AmountMinor", 0)), sum(max(-e."AmountMinor", 0)), count(*)
            FROM "LedgerEntries" e LEFT JOIN "LedgerEntries" r ON r."Id" = e."ReversesEntryId"
            GROUP BY 1, 2, 3, 4;

            INSERT INTO "SponsorMonths" ("OrganisationId", "Month", "GivenMinor", "Entries")
            SELECT e."CounterpartyOrganisationId", substr(e."OccurredAt", 1, 7) || '-01', sum(e."AmountMinor"), count(*)
            FROM "LedgerEntries" e
            WHERE e."CounterpartyOrganisationId" IS NOT NULL AND e."Kind" IN ('Contribution', 'Refund')
            GROUP BY 1, 2;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LedgerMonths",
                columns: table => new
                {
                    FundId = table.Column<int>(type: "INTEGER", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    OfKind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    InMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    OutMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Entries = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerMonths", x => new { x.FundId, x.Month, x.Kind, x.OfKind });
                    table.ForeignKey(
                        name: "FK_LedgerMonths_Funds_FundId",
                        column: x => x.FundId,
                        principalTable: "Funds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SponsorMonths",
                columns: table => new
                {
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    GivenMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Entries = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SponsorMonths", x => new { x.OrganisationId, x.Month });
                    table.ForeignKey(
                        name: "FK_SponsorMonths_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerMonths_Month",
                table: "LedgerMonths",
                column: "Month");

            migrationBuilder.CreateIndex(
                name: "IX_SponsorMonths_Month",
                table: "SponsorMonths",
                column: "Month");

            migrationBuilder.Sql(Backfill);
            migrationBuilder.Sql(CreateTrigger);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "LedgerEntries_RollUp";""");

            migrationBuilder.DropTable(
                name: "LedgerMonths");

            migrationBuilder.DropTable(
                name: "SponsorMonths");
        }
    }
}
