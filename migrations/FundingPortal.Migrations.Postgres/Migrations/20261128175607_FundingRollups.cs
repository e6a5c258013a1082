using System;
using System.Globalization;
using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using Microsoft.EntityFrameworkCore.Migrations;
using static FundingPortal.Core.Data.RollupRules;

#nullable disable

namespace FundingPortal.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class FundingRollups : Migration
    {
        // The roll-ups are kept by triggers, in the statement that changes the row, so no code path can change the ledger, an
        // installment, a time entry or a pledge and leave the figures behind (ADR 0009). Each trigger takes the old row's share away
        // (factor -1) and adds the new row's (factor 1), through one SQL function per table.
        private const string Month = "date_trunc('month', {0})::date";

        private static readonly string LedgerMonth = string.Format(CultureInfo.InvariantCulture, Month, "e.\"OccurredAt\" AT TIME ZONE 'UTC'");

        private static readonly string DueMonth = string.Format(CultureInfo.InvariantCulture, Month, "i.\"DueDate\"");

        // The share of an installment delivered, capped at one (HonouredRates in the portal).
        private const string Rate = """
            (CASE WHEN i."HoursDueMinutes" > 0 THEN least(1.0, i."HoursDeliveredMinutes"::double precision / i."HoursDueMinutes")
                  ELSE least(1.0, i."AmountReceivedMinor"::double precision / i."AmountDueMinor") END)
            """;

        internal static readonly string LedgerFunction = $$"""
            CREATE FUNCTION ledger_entries_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE e "LedgerEntries" := NEW;
            BEGIN
                INSERT INTO "LedgerMonths" ("FundId", "Month", "Kind", "OfKind", "InMinor", "OutMinor", "Entries")
                VALUES (e."FundId", {{LedgerMonth}}, e."Kind",
                        CASE WHEN e."Kind" = {{Sql(LedgerEntryKind.Reversal)}}
                             THEN coalesce((SELECT r."Kind" FROM "LedgerEntries" r WHERE r."Id" = e."ReversesEntryId"), e."Kind")
                             ELSE e."Kind" END,
                        greatest(e."AmountMinor", 0), greatest(-e."AmountMinor", 0), 1)
                ON CONFLICT ("FundId", "Month", "Kind", "OfKind") DO UPDATE
                SET "InMinor" = "LedgerMonths"."InMinor" + excluded."InMinor", "OutMinor" = "LedgerMonths"."OutMinor" + excluded."OutMinor",
                    "Entries" = "LedgerMonths"."Entries" + 1;

                IF e."CounterpartyOrganisationId" IS NOT NULL AND e."Kind" IN {{Sql(RollupRules.SponsorMoney)}} THEN
                    INSERT INTO "SponsorMonths" ("OrganisationId", "Month", "GivenMinor", "Entries")
                    VALUES (e."CounterpartyOrganisationId", {{LedgerMonth}}, e."AmountMinor", 1)
                    ON CONFLICT ("OrganisationId", "Month") DO UPDATE
                    SET "GivenMinor" = "SponsorMonths"."GivenMinor" + excluded."GivenMinor", "Entries" = "SponsorMonths"."Entries" + 1;
                END IF;
                RETURN NULL;
            END
            $$;
            """;

        private static readonly string CreateTriggers = LedgerFunction + $$"""

            CREATE TRIGGER "LedgerEntries_RollUp" AFTER INSERT ON "LedgerEntries" FOR EACH ROW EXECUTE FUNCTION ledger_entries_roll_up();

            CREATE FUNCTION installments_roll_up_row(i "Installments", factor integer) RETURNS void LANGUAGE sql AS $$
                INSERT INTO "InstallmentTotals" ("FundId", "PledgeKind", "PledgeStatus", "Status", "Currency", "Installments", "OutstandingMinor", "HoursDueMinutes")
                SELECT p."FundId", p."Kind", p."Status", i."Status", i."Currency", factor,
                       factor * greatest(i."AmountDueMinor" - i."AmountReceivedMinor", 0), factor * i."HoursDueMinutes"
                FROM "Pledges" p WHERE p."Id" = i."PledgeId"
                ON CONFLICT ("FundId", "PledgeKind", "PledgeStatus", "Status", "Currency") DO UPDATE
                SET "Installments" = "InstallmentTotals"."Installments" + excluded."Installments",
                    "OutstandingMinor" = "InstallmentTotals"."OutstandingMinor" + excluded."OutstandingMinor",
                    "HoursDueMinutes" = "InstallmentTotals"."HoursDueMinutes" + excluded."HoursDueMinutes";

                INSERT INTO "HonouredMonths" ("OrganisationId", "Month", "Installments", "RateSum")
                SELECT p."OrganisationId", {{DueMonth}}, factor, factor * {{Rate}}
                FROM "Pledges" p
                WHERE p."Id" = i."PledgeId" AND i."Status" NOT IN {{Sql(RollupRules.OutsideHonouredRate)}} AND (i."HoursDueMinutes" > 0 OR i."AmountDueMinor" > 0)
                ON CONFLICT ("OrganisationId", "Month") DO UPDATE
                SET "Installments" = "HonouredMonths"."Installments" + excluded."Installments", "RateSum" = "HonouredMonths"."RateSum" + excluded."RateSum";
            $$;

            CREATE FUNCTION installments_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN PERFORM installments_roll_up_row(OLD, -1); END IF;
                IF TG_OP <> 'DELETE' THEN PERFORM installments_roll_up_row(NEW, 1); END IF;
                RETURN NULL;
            END
            $$;

            CREATE TRIGGER "Installments_RollUp"
            AFTER INSERT OR DELETE OR UPDATE OF "PledgeId", "Status", "Currency", "DueDate", "AmountDueMinor", "AmountReceivedMinor", "HoursDueMinutes", "HoursDeliveredMinutes"
            ON "Installments" FOR EACH ROW EXECUTE FUNCTION installments_roll_up();

            CREATE FUNCTION time_entries_roll_up_row(t "TimeEntries", factor integer) RETURNS void LANGUAGE sql AS $$
                INSERT INTO "TimeTotals" ("FundId", "OrganisationId", "ConfirmedMinutes", "Entries")
                SELECT p."FundId", p."OrganisationId", factor * t."Minutes", factor
                FROM "Pledges" p WHERE p."Id" = t."PledgeId" AND t."Status" IN {{Sql(RollupRules.DeliveredTime)}}
                ON CONFLICT ("FundId", "OrganisationId") DO UPDATE
                SET "ConfirmedMinutes" = "TimeTotals"."ConfirmedMinutes" + excluded."ConfirmedMinutes", "Entries" = "TimeTotals"."Entries" + excluded."Entries";
            $$;

            CREATE FUNCTION time_entries_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN PERFORM time_entries_roll_up_row(OLD, -1); END IF;
                IF TG_OP <> 'DELETE' THEN PERFORM time_entries_roll_up_row(NEW, 1); END IF;
                RETURN NULL;
            END
            $$;

            CREATE TRIGGER "TimeEntries_RollUp" AFTER INSERT OR DELETE OR UPDATE OF "PledgeId", "Status", "Minutes"
            ON "TimeEntries" FOR EACH ROW EXECUTE FUNCTION time_entries_roll_up();

            -- A pledge that changes fund, kind or status takes its installments and confirmed time with it.
            CREATE FUNCTION pledges_roll_up_row(p "Pledges", factor integer) RETURNS void LANGUAGE sql AS $$
                INSERT INTO "InstallmentTotals" ("FundId", "PledgeKind", "PledgeStatus", "Status", "Currency", "Installments", "OutstandingMinor", "HoursDueMinutes")
                SELECT p."FundId", p."Kind", p."Status", i."Status", i."Currency", factor * count(*),
                       factor * sum(greatest(i."AmountDueMinor" - i."AmountReceivedMinor", 0)), factor * sum(i."HoursDueMinutes")
                FROM "Installments" i WHERE i."PledgeId" = p."Id"
                GROUP BY i."Status", i."Currency"
                ON CONFLICT ("FundId", "PledgeKind", "PledgeStatus", "Status", "Currency") DO UPDATE
                SET "Installments" = "InstallmentTotals"."Installments" + excluded."Installments",
                    "OutstandingMinor" = "InstallmentTotals"."OutstandingMinor" + excluded."OutstandingMinor",
                    "HoursDueMinutes" = "InstallmentTotals"."HoursDueMinutes" + excluded."HoursDueMinutes";

                INSERT INTO "TimeTotals" ("FundId", "OrganisationId", "ConfirmedMinutes", "Entries")
                SELECT p."FundId", p."OrganisationId", factor * sum(t."Minutes"), factor * count(*)
                FROM "TimeEntries" t WHERE t."PledgeId" = p."Id" AND t."Status" IN {{Sql(RollupRules.DeliveredTime)}}
                GROUP BY t."PledgeId"
                ON CONFLICT ("FundId", "OrganisationId") DO UPDATE
                SET "ConfirmedMinutes" = "TimeTotals"."ConfirmedMinutes" + excluded."ConfirmedMinutes", "Entries" = "TimeTotals"."Entries" + excluded."Entries";
            $$;

            CREATE FUNCTION pledges_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF (OLD."FundId", OLD."Kind", OLD."Status") IS DISTINCT FROM (NEW."FundId", NEW."Kind", NEW."Status") THEN
                    PERFORM pledges_roll_up_row(OLD, -1);
                    PERFORM pledges_roll_up_row(NEW, 1);
                END IF;
                RETURN NULL;
            END
            $$;

            CREATE TRIGGER "Pledges_RollUp" AFTER UPDATE OF "FundId", "Kind", "Status" ON "Pledges" FOR EACH ROW EXECUTE FUNCTION pledges_roll_up();
            """;

        private const string DropTriggers = """
            DROP TRIGGER "LedgerEntries_RollUp" ON "LedgerEntries";
            DROP TRIGGER "Installments_RollUp" ON "Installments";
            DROP TRIGGER "TimeEntries_RollUp" ON "TimeEntries";
            DROP TRIGGER "Pledges_RollUp" ON "Pledges";
            DROP FUNCTION ledger_entries_roll_up(), installments_roll_up(), installments_roll_up_row("Installments", integer),
                time_entries_roll_up(), time_entries_roll_up_row("TimeEntries", integer), pledges_roll_up(), pledges_roll_up_row("Pledges", integer);
            """;

        // The rows there before this migration, summed the same way.
        internal static readonly string LedgerBackfill = $$"""
            INSERT INTO "LedgerMonths" ("FundId", "Month", "Kind", "OfKind", "InMinor", "OutMinor", "Entries")
            SELECT e."FundId", {{LedgerMonth}}, e."Kind", CASE WHEN e."Kind" = {{Sql(LedgerEntryKind.Reversal)}} THEN coalesce(r."Kind", e."Kind") ELSE e."Kind" END,
                   sum(greatest(e."AmountMinor", 0)), sum(greatest(-e."AmountMinor", 0)), count(*)
            FROM "LedgerEntries" e LEFT JOIN "LedgerEntries" r ON r."Id" = e."ReversesEntryId"
            GROUP BY 1, 2, 3, 4;

            INSERT INTO "SponsorMonths" ("OrganisationId", "Month", "GivenMinor", "Entries")
            SELECT e."CounterpartyOrganisationId", {{LedgerMonth}}, sum(e."AmountMinor"), count(*)
            FROM "LedgerEntries" e
            WHERE e."CounterpartyOrganisationId" IS NOT NULL AND e."Kind" IN {{Sql(RollupRules.SponsorMoney)}}
            GROUP BY 1, 2;
            """;

        private static readonly string Backfill = LedgerBackfill + $$"""

            INSERT INTO "InstallmentTotals" ("FundId", "PledgeKind", "PledgeStatus", "Status", "Currency", "Installments", "OutstandingMinor", "HoursDueMinutes")
            SELECT p."FundId", p."Kind", p."Status", i."Status", i."Currency", count(*), sum(greatest(i."AmountDueMinor" - i."AmountReceivedMinor", 0)), sum(i."HoursDueMinutes")
            FROM "Installments" i JOIN "Pledges" p ON p."Id" = i."PledgeId"
            GROUP BY 1, 2, 3, 4, 5;

            INSERT INTO "HonouredMonths" ("OrganisationId", "Month", "Installments", "RateSum")
            SELECT p."OrganisationId", {{DueMonth}}, count(*), sum({{Rate}})
            FROM "Installments" i JOIN "Pledges" p ON p."Id" = i."PledgeId"
            WHERE i."Status" NOT IN {{Sql(RollupRules.OutsideHonouredRate)}} AND (i."HoursDueMinutes" > 0 OR i."AmountDueMinor" > 0)
            GROUP BY 1, 2;

            INSERT INTO "TimeTotals" ("FundId", "OrganisationId", "ConfirmedMinutes", "Entries")
            SELECT p."FundId", p."OrganisationId", sum(t."Minutes"), count(*)
            FROM "TimeEntries" t JOIN "Pledges" p ON p."Id" = t."PledgeId"
            WHERE t."Status" IN {{Sql(RollupRules.DeliveredTime)}}
            GROUP BY 1, 2;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HonouredMonths",
                columns: table => new
                {
                    OrganisationId = table.Column<int>(type: "integer", nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    Installments = table.Column<long>(type: "bigint", nullable: false),
                    RateSum = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HonouredMonths", x => new { x.OrganisationId, x.Month });
                    table.ForeignKey(
                        name: "FK_HonouredMonths_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InstallmentTotals",
                columns: table => new
                {
                    FundId = table.Column<int>(type: "integer", nullable: false),
                    PledgeKind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PledgeStatus = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Installments = table.Column<long>(type: "bigint", nullable: false),
                    OutstandingMinor = table.Column<long>(type: "bigint", nullable: false),
                    HoursDueMinutes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InstallmentTotals", x => new { x.FundId, x.PledgeKind, x.PledgeStatus, x.Status, x.Currency });
                    table.ForeignKey(
                        name: "FK_InstallmentTotals_Funds_FundId",
                        column: x => x.FundId,
                        principalTable: "Funds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

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

            migrationBuilder.CreateTable(
                name: "TimeTotals",
                columns: table => new
                {
                    FundId = table.Column<int>(type: "integer", nullable: false),
                    OrganisationId = table.Column<int>(type: "integer", nullable: false),
                    ConfirmedMinutes = table.Column<long>(type: "bigint", nullable: false),
                    Entries = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TimeTotals", x => new { x.FundId, x.OrganisationId });
                    table.ForeignKey(
                        name: "FK_TimeTotals_Funds_FundId",
                        column: x => x.FundId,
                        principalTable: "Funds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TimeTotals_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Pledges_Kind_Status_Frequency_Currency_AmountMinor",
                table: "Pledges",
                columns: new[] { "Kind", "Status", "Frequency", "Currency", "AmountMinor" });

            migrationBuilder.CreateIndex(
                name: "IX_Installments_DueDate_Status_PledgeId_HoursDueMinutes_HoursD~",
                table: "Installments",
                columns: new[] { "DueDate", "Status", "PledgeId", "HoursDueMinutes", "HoursDeliveredMinutes", "AmountDueMinor", "AmountReceivedMinor" });

            migrationBuilder.CreateIndex(
                name: "IX_HonouredMonths_Month",
                table: "HonouredMonths",
                column: "Month");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerMonths_Month",
                table: "LedgerMonths",
                column: "Month");

            migrationBuilder.CreateIndex(
                name: "IX_SponsorMonths_Month",
                table: "SponsorMonths",
                column: "Month");

            migrationBuilder.CreateIndex(
                name: "IX_TimeTotals_OrganisationId",
                table: "TimeTotals",
                column: "OrganisationId");

            migrationBuilder.Sql(Backfill);
            migrationBuilder.Sql(CreateTriggers);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(DropTriggers);

            migrationBuilder.DropTable(
                name: "HonouredMonths");

            migrationBuilder.DropTable(
                name: "InstallmentTotals");

            migrationBuilder.DropTable(
                name: "LedgerMonths");

            migrationBuilder.DropTable(
                name: "SponsorMonths");

            migrationBuilder.DropTable(
                name: "TimeTotals");

            migrationBuilder.DropIndex(
                name: "IX_Pledges_Kind_Status_Frequency_Currency_AmountMinor",
                table: "Pledges");

            migrationBuilder.DropIndex(
                name: "IX_Installments_DueDate_Status_PledgeId_HoursDueMinutes_HoursD~",
                table: "Installments");
        }
    }
}
