"""Feasibility assessments: recompute on every save, the fund loan's schedule, decisions, the loan link."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse

from loans.schedule import Method
from projects import services
from projects.models import CashFlowLine, FeasibilityAssessment, InvestmentItem
from tests.projects.factories import make_assessment, make_institution

pytestmark = pytest.mark.django_db


def test_recompute_stores_the_worked_example_npv_and_irr(geo):
    # -1,000,000 then +300,000 x 5 years at 7 % -> NPV 230,059.23, IRR 15.2382 %
    a = make_assessment(make_institution(geo.office_a))
    assert a.npv == Decimal("230059.23")
    assert round(a.irr, 6) == Decimal("0.152382")
    assert a.verdict == "FEASIBLE"
    assert a.results["ok"] is True
    assert Decimal(a.results["metrics"]["payback_years"]).quantize(Decimal("0.001")) == Decimal("3.333")
    assert a.computed_at is not None


def test_a_project_that_does_not_pay_back_is_not_feasible(geo):
    a = make_assessment(make_institution(geo.office_a), feasible=False)
    assert a.npv < 0
    assert a.verdict == "NOT_FEASIBLE"
    assert "npv" in a.results["failed_checks"]


def test_an_assessment_without_inputs_stores_the_reason_instead_of_results(geo):
    a = FeasibilityAssessment.objects.create(institution=make_institution(geo.office_a), title="ว่าง")
    services.recompute_assessment(a)
    a.refresh_from_db()
    assert a.results["ok"] is False and a.results["error"]
    assert a.npv is None and a.verdict == ""


def test_the_fund_loan_debt_service_comes_from_the_loans_schedule_by_year():
    rows = services.fund_loan_debt_service(
        amount=Decimal("1000000"),
        rate_pct=Decimal("2.5"),
        years=5,
        method=Method.EQUAL_PRINCIPAL,
        period_months=12,
    )
    assert [r.year for r in rows] == [1, 2, 3, 4, 5]
    assert sum(r.principal for r in rows) == Decimal("1000000.00")
    assert rows[0].interest == Decimal("25000.00")  # 30E/360: exactly one year of interest
    assert rows[-1].interest == Decimal("5000.00")


def test_monthly_installments_are_summed_into_project_years():
    rows = services.fund_loan_debt_service(
        amount=Decimal("120000"),
        rate_pct=Decimal("0"),
        years=2,
        method=Method.EQUAL_PRINCIPAL,
        period_months=1,
    )
    assert [(r.year, r.principal) for r in rows] == [(1, Decimal("60000.00")), (2, Decimal("60000.00"))]


def test_the_fund_loan_gives_a_dscr_and_the_financing_view(geo):
    a = make_assessment(
        make_institution(geo.office_a),
        fund_loan_amount=Decimal("800000"),
        fund_loan_rate_pct=Decimal("2.5"),
        fund_loan_years=5,
        own_funds=Decimal("200000"),
    )
    fin = a.results["financing"]
    assert Decimal(fin[0]["loan_inflow"]) == Decimal("800000.00")
    assert Decimal(fin[1]["principal"]) == Decimal("160000.00")
    assert Decimal(fin[1]["interest"]) == Decimal("20000.00")
    # (500,000 - 200,000) / 180,000
    assert Decimal(fin[1]["dscr"]).quantize(Decimal("0.0001")) == Decimal("1.6667")
    assert a.min_dscr is not None


def _post_data(a, **changes):
    data = {
        "institution": a.institution_id,
        "project": "",
        "title": a.title,
        "horizon_years": "5",
        "discount_rate_pct": "7",
        "working_capital": "0",
        "working_capital_year": "0",
        "own_funds": "0",
        "grants": "0",
        "fund_loan_amount": "0",
        "fund_loan_rate_pct": "0",
        "fund_loan_years": "5",
        "fund_loan_method": "equal_principal",
        "fund_loan_period_months": "12",
        "other_loans_amount": "0",
        "other_loans_rate_pct": "0",
        "other_loans_years": "5",
        "npv_min": "0",
        "bcr_min": "1",
        "dscr_min": "1.2",
        "irr_min_pct": "",
        "recommendation": "ควรสนับสนุน",
        "inv-TOTAL_FORMS": "0",
        "inv-INITIAL_FORMS": "0",
        "lines-TOTAL_FORMS": "0",
        "lines-INITIAL_FORMS": "0",
        "sc-TOTAL_FORMS": "0",
        "sc-INITIAL_FORMS": "0",
    }
    children = (("inv", "investments"), ("lines", "lines"), ("sc", "scenarios"))
    for prefix, related in children if a.pk else ():
        rows = list(getattr(a, related).all())
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for i, obj in enumerate(rows):
            data[f"{prefix}-{i}-id"] = obj.pk
            data[f"{prefix}-{i}-assessment"] = a.pk
            if prefix == "inv":
                data.update(
                    {
                        f"inv-{i}-name": obj.name,
                        f"inv-{i}-year": obj.year,
                        f"inv-{i}-amount": obj.amount,
                        f"inv-{i}-useful_life_years": obj.useful_life_years or "",
                        f"inv-{i}-salvage_value": obj.salvage_value,
                    }
                )
            elif prefix == "lines":
                data.update(
                    {
                        f"lines-{i}-name": obj.name,
                        f"lines-{i}-kind": obj.kind,
                        f"lines-{i}-mode": obj.mode,
                        f"lines-{i}-first_year_amount": obj.first_year_amount,
                        f"lines-{i}-growth_pct": obj.growth_pct,
                    }
                )
                for y, amount in enumerate(obj.amounts, 1):
                    data[f"lines-{i}-y{y}"] = amount
            else:
                data.update(
                    {
                        f"sc-{i}-name": obj.name,
                        f"sc-{i}-investment_change_pct": obj.investment_change_pct,
                        f"sc-{i}-revenue_change_pct": obj.revenue_change_pct,
                        f"sc-{i}-cost_change_pct": obj.cost_change_pct,
                    }
                )
    data.update(changes)
    return data


def test_saving_the_form_recomputes_the_results(officer_client, geo):
    a = make_assessment(make_institution(geo.office_a))
    before = a.npv
    response = officer_client.post(
        reverse("projects:assessment_update", args=[a.pk]), _post_data(a, **{"inv-0-amount": "1,100,000"})
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    a.refresh_from_db()
    assert a.npv == before - Decimal("100000.00")
    assert a.investments.get().amount == Decimal("1100000.00")


def test_the_year_grid_stores_every_year_and_trims_to_the_horizon(officer_client, geo):
    a = make_assessment(make_institution(geo.office_a))
    data = _post_data(a, **{"lines-1-y1": "๑๐๐,๐๐๐", "lines-1-y5": "250,000 บาท", "lines-1-y9": "999"})
    assert officer_client.post(reverse("projects:assessment_update", args=[a.pk]), data).status_code == 302
    line = a.lines.get(kind="cost")
    assert line.amounts == ["100000.00", "200000.00", "200000.00", "200000.00", "250000.00"]


def test_a_new_assessment_with_a_growth_line_is_created_and_computed(officer_client, geo, officer):
    inst = make_institution(geo.office_a)
    data = _post_data(
        FeasibilityAssessment(institution=inst, title="ใหม่"),
        **{
            "institution": inst.pk,
            "title": "ประเมินโครงการใหม่",
            "inv-TOTAL_FORMS": "1",
            "inv-0-name": "อาคาร",
            "inv-0-year": "0",
            "inv-0-amount": "1000000",
            "inv-0-useful_life_years": "",
            "inv-0-salvage_value": "0",
            "lines-TOTAL_FORMS": "1",
            "lines-0-name": "ค่าบริการ",
            "lines-0-kind": "revenue",
            "lines-0-mode": "growth",
            "lines-0-first_year_amount": "300,000",
            "lines-0-growth_pct": "0",
        },
    )
    response = officer_client.post(reverse("projects:assessment_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    a = FeasibilityAssessment.objects.get(title="ประเมินโครงการใหม่")
    assert a.created_by == officer
    assert a.results["ok"] and a.npv == Decimal("230059.23")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("horizon_years", "31"),
        ("horizon_years", "0"),
        ("discount_rate_pct", "10000000000000000000000"),
        ("title", "<script>alert(1)</script>"),
        ("title", "ก" * 10_000),
        ("fund_loan_amount", "-5"),
        ("own_funds", "100000000000000000000"),
        ("fund_loan_period_months", "2"),
        ("title", ""),
    ],
)
def test_hostile_input_is_a_form_error_and_nothing_changes(officer_client, geo, field, value):
    a = make_assessment(make_institution(geo.office_a))
    before = (a.title, a.horizon_years, a.npv, a.computed_at)
    response = officer_client.post(
        reverse("projects:assessment_update", args=[a.pk]), _post_data(a, **{field: value})
    )
    assert response.status_code == 200
    a.refresh_from_db()
    assert (a.title, a.horizon_years, a.npv, a.computed_at) == before


def test_an_institution_of_another_province_cannot_be_chosen(officer_client, geo):
    a = make_assessment(make_institution(geo.office_a))
    other = make_institution(geo.office_b, name="สหกรณ์ขอนแก่น")
    response = officer_client.post(
        reverse("projects:assessment_update", args=[a.pk]), _post_data(a, institution=other.pk)
    )
    assert response.status_code == 200
    a.refresh_from_db()
    assert a.institution_id != other.pk


def test_submit_then_approve_records_who_decided(officer_client, officer, geo):
    a = make_assessment(make_institution(geo.office_a))
    officer_client.post(reverse("projects:assessment_submit", args=[a.pk]))
    officer_client.post(reverse("projects:assessment_approve", args=[a.pk]), {"note": "อนุมัติตามเสนอ"})
    a.refresh_from_db()
    assert a.status == "approved" and a.decided_by == officer and a.decision_note == "อนุมัติตามเสนอ"
    # approving twice changes nothing
    officer_client.post(reverse("projects:assessment_reject", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == "approved"


def test_an_approved_assessment_cannot_be_edited(officer_client, geo):
    a = make_assessment(make_institution(geo.office_a), status="approved")
    response = officer_client.post(
        reverse("projects:assessment_update", args=[a.pk]), _post_data(a, title="x")
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.title != "x"


def test_editing_a_rejected_assessment_returns_it_to_draft(officer_client, geo):
    a = make_assessment(make_institution(geo.office_a), status="rejected", decision_note="ไม่ผ่าน")
    officer_client.post(reverse("projects:assessment_update", args=[a.pk]), _post_data(a))
    a.refresh_from_db()
    assert a.status == "draft" and a.decision_note == ""


def test_the_approved_page_offers_to_open_a_loan_contract(officer_client, geo):
    a = make_assessment(make_institution(geo.office_a), status="approved", fund_loan_amount=Decimal("800000"))
    html = officer_client.get(a.get_absolute_url()).content.decode()
    assert reverse("loans:loan_create") + f"?assessment={a.pk}" in html


def test_loan_initial_data_comes_from_the_approved_assessment(geo, officer):
    a = make_assessment(
        make_institution(geo.office_a),
        status="approved",
        fund_loan_amount=Decimal("800000"),
        fund_loan_rate_pct=Decimal("2.5"),
        fund_loan_years=5,
        fund_loan_period_months=6,
    )
    initial = services.loan_initial_from_assessment(a.pk, officer)
    assert initial["borrower"] == a.institution_id
    assert initial["approved_amount"] == Decimal("800000.00")
    assert initial["annual_rate_pct"] == Decimal("2.5")
    assert initial["installments"] == 10 and initial["period_months"] == 6
    assert initial["purpose"] == "project"


def test_loan_initial_data_is_404_out_of_scope_or_not_approved(geo, officer, other_province_officer):
    a = make_assessment(make_institution(geo.office_a), status="approved")
    with pytest.raises(Http404):
        services.loan_initial_from_assessment(a.pk, other_province_officer)
    draft = make_assessment(make_institution(geo.office_a, name="สหกรณ์อื่น"))
    with pytest.raises(Http404):
        services.loan_initial_from_assessment(draft.pk, officer)


def test_a_loan_opened_from_the_assessment_is_linked(geo, officer, other_province_officer):
    from tests.loans.factories import make_loan

    inst = make_institution(geo.office_a)
    a = make_assessment(inst, status="approved", fund_loan_amount=Decimal("1000000"))
    loan = make_loan(officer, borrower=inst)
    with pytest.raises(Http404):
        services.link_assessment_to_loan(a.pk, loan, other_province_officer)
    services.link_assessment_to_loan(a.pk, loan, officer)
    a.refresh_from_db()
    assert a.loan == loan
    assert list(loan.assessments.all()) == [a]


def test_a_loan_of_another_borrower_is_not_linked(geo, officer):
    from tests.loans.factories import make_loan

    a = make_assessment(make_institution(geo.office_a), status="approved")
    loan = make_loan(officer)  # its own borrower
    with pytest.raises(ValueError):
        services.link_assessment_to_loan(a.pk, loan, officer)


def test_the_loans_create_page_is_prefilled_from_the_assessment(officer_client, geo):
    a = make_assessment(make_institution(geo.office_a), status="approved", fund_loan_amount=Decimal("800000"))
    response = officer_client.get(reverse("loans:loan_create") + f"?assessment={a.pk}")
    assert response.status_code == 200
    assert "800,000.00" in response.content.decode()


def test_investment_salvage_may_not_exceed_the_amount(officer_client, geo):
    a = make_assessment(make_institution(geo.office_a))
    data = _post_data(a, **{"inv-0-useful_life_years": "5", "inv-0-salvage_value": "2000000"})
    assert officer_client.post(reverse("projects:assessment_update", args=[a.pk]), data).status_code == 200
    assert InvestmentItem.objects.get(assessment=a).salvage_value == 0


def test_a_growth_line_needs_its_year_one_amount(officer_client, geo):
    a = make_assessment(make_institution(geo.office_a))
    data = _post_data(a, **{"lines-0-first_year_amount": ""})
    assert officer_client.post(reverse("projects:assessment_update", args=[a.pk]), data).status_code == 200
    assert CashFlowLine.objects.get(assessment=a, kind="revenue").first_year_amount == Decimal("500000")


def test_the_page_hides_cash_flow_columns_that_are_zero_in_every_year(officer_client, geo):
    a = make_assessment(make_institution(geo.office_a))  # no working capital, no salvage
    html = officer_client.get(reverse("projects:assessment_detail", args=[a.pk])).content.decode()
    assert "ไม่แสดงคอลัมน์เงินทุนหมุนเวียนและมูลค่าซาก เพราะเป็นศูนย์ทุกปี" in html
    head = html.split("กระแสเงินสดของโครงการ (ก่อนจัดหาเงินทุน)", 1)[1].split("<thead", 1)[1]
    head = head.split("</thead>", 1)[0]
    assert "เงินทุนหมุนเวียน" not in head and "ตัวคิดลด" in head


def test_the_page_keeps_the_working_capital_column_when_there_is_some(officer_client, geo):
    a = make_assessment(make_institution(geo.office_a), working_capital=Decimal("50000"))
    html = officer_client.get(reverse("projects:assessment_detail", args=[a.pk])).content.decode()
    head = html.split("กระแสเงินสดของโครงการ (ก่อนจัดหาเงินทุน)", 1)[1].split("<thead", 1)[1]
    head = head.split("</thead>", 1)[0]
    assert "เงินทุนหมุนเวียน" in head  # recovered at the horizon too, so salvage and recovery shows
    assert "เป็นศูนย์ทุกปี" not in html


def test_the_scenario_table_reads_in_thai_with_a_badge_for_the_base_case(officer_client, geo):
    a = make_assessment(make_institution(geo.office_a))
    html = officer_client.get(reverse("projects:assessment_detail", args=[a.pk])).content.decode()
    scenarios = html.split("สถานการณ์จำลอง", 1)[1]
    assert ">B/C</th>" in scenarios and ">BCR</th>" not in scenarios
    assert '<span class="badge text-bg-success">ผ่านเกณฑ์ มีความเป็นไปได้</span>' in scenarios
    assert "switching value" not in html and "ค่าความแปรเปลี่ยน" in html
    assert "เลือกไฟล์ .xlsx" in html
