using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FundingPortal.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LedgerRollup : Migration
    {
        // Every ledger entry is added to its month's rows by a trigger, in the statement that inserts it, so no code path can
        // append to the ledger and miss the roll-up (ADR 0009). The ledger is append-only: inserts are the only change to follow.
        private const string CreateTrigger = """
            CREATE FUNCTION ledger_entries_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO "LedgerMonths" ("FundId", "Month", "Kind", "OfKind", "InMinor", "OutMinor", "Entries")
                VALUES (NEW."FundId", date_trunc('month', NEW."OccurredAt" AT TIME ZONE 'UTC')::date, NEW."Kind",
                        CASE WHEN NEW."Kind" = 'Reversal'
                             THEN coalesce((SELECT r."Kind" FROM "LedgerEntries" r WHERE r."Id" = NEW."ReversesEntryId"), NEW."Kind")
                             ELSE NEW."Kind" END,
                        greatest(NEW."AmountMinor", 0), greatest(-NEW."AmountMinor", 0), 1)
                ON CONFLICT ("FundId", "Month", "Kind", "OfKind") DO UPDATE
                SET "InMinor" = "LedgerMonths"."InMinor" + excluded."InMinor",
                    "OutMinor" = "LedgerMonths"."OutMinor" + excluded."OutMinor",
                    "Entries" = "LedgerMonths"."Entries" + 1;

                IF NEW."CounterpartyOrganisationId" IS NOT NULL AND NEW."Kind" IN ('Contribution', 'Refund') THEN
                    INSERT INTO "SponsorMonths" ("OrganisationId", "Month", "GivenMinor", "Entries")
                    VALUES (NEW."CounterpartyOrganisationId", date_trunc('month', NEW."OccurredAt" AT TIME ZONE 'UTC')::date, NEW."AmountMinor", 1)
                    ON CONFLICT ("OrganisationId", "Month") DO UPDATE
                    SET "GivenMinor" = "SponsorMonths"."GivenMinor" + excluded."GivenMinor",
                        "Entries" = "SponsorMonths"."Entries" + 1;
                END IF;
                RETURN NULL;
            END
            $$;

            CREATE TRIGGER "LedgerEntries_RollUp" AFTER INSERT ON "LedgerEntries"
            FOR EACH ROW EXECUTE FUNCTION ledger_entries_roll_up();
            """;

        // The entries booked before this migration.
        private const string Backfill = """
            INSERT INTO "LedgerMonths" ("FundId", "Month", "Kind", "OfKind", "InMinor", "OutMinor", "Entries")
            SELECT e."FundId", date_trunc('month', e."OccurredAt" AT TIME ZONE 'UTC')::date, e."Kind",
                   CASE WHEN e."Kind" = 'Reversal' THEN coalesce(r."Kind", e."Kind") ELSE e."Kind" END,
                   sum(greatest(e."AmountMinor", 0)), sum(greatest(-e."AmountMinor", 0)), count(*)
            FROM "LedgerEntries" e LEFT JOIN "LedgerEntries" r ON r."Id" = e."ReversesEntryId"
            GROUP BY 1, 2, 3, 4;

            INSERT INTO "SponsorMonths" ("OrganisationId", "Month", "GivenMinor", "Entries")
            SELECT e."CounterpartyOrganisationId", date_trunc('month', e."OccurredAt" AT TIME ZONE 'UTC')::date, sum(e."AmountMinor"), count(*)
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
                    FundId = table.Column<int>(type: "integer", nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    OfKind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    InMinor = table.Column<long>(type: "bigint", nullable: false),
                    OutMinor = table.Column<long>(type: "bigint", nullable: false),
                    Entries = table.Column<long>(type: "bigint", nullable: false)
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
                    OrganisationId = table.Column<int>(type: "integer", nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    GivenMinor = table.Column<long>(type: "bigint", nullable: false),
                    Entries = table.Column<long>(type: "bigint", nullable: false)
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
            migrationBuilder.Sql("""DROP TRIGGER "LedgerEntries_RollUp" ON "LedgerEntries"; DROP FUNCTION ledger_entries_roll_up();""");

            migrationBuilder.DropTable(
                name: "LedgerMonths");

            migrationBuilder.DropTable(
                name: "SponsorMonths");
        }
    }
}
