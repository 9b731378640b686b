/* audit_words — action codes, entities and detail fields in Chinese (see audit_words.h). */
#include "core/audit_words.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *code, *zh; } PHRASES[] = {
  {"session.login", "登录"}, {"session.login_failed", "登录失败"}, {"session.locked", "登录失败次数过多，账号暂时锁定"},
  {"session.logout", "退出登录"}, {"session.reauth", "重新验证密码"}, {"session.reauth_failed", "重新验证密码失败"},
  {"user.create", "新建账号"}, {"user.update", "修改账号"}, {"user.disable", "停用账号"},
  {"user.change_password", "修改密码"}, {"user.reset_password", "重置密码"}, {"user.unlock", "解除账号锁定"},
  {"user.credential_approved", "同意发放初始密码"}, {"alert.credential_issued", "发放初始密码"},
  {"alert.bulk_reveal", "短时间内大量查看身份证号，发出警示"}, {"ics_token.rotate", "更换日历订阅地址"},
  {"policy.change", "更换政策参数文件"}, {"export.xlsx", "导出 Excel"},
  {"region.update", "修改村的重点村标记或打卡范围"}, {"region.rename", "区划更名"}, {"region.move", "调整区划隶属"},
  {"unit.create", "新建派出单位"}, {"unit.update", "修改派出单位"},
  {"cadre.create", "登记驻村干部"}, {"cadre.update", "修改驻村干部信息"}, {"cadre.import", "导入驻村干部名册"},
  {"cadre.appraisal", "登记年度考核结果"}, {"cadre.sanction", "登记处分"},
  {"cadre.reveal_id_number", "查看干部完整身份证号"}, {"cadre.reveal_phone", "查看干部完整手机号"},
  {"batch.create", "设立集中轮换批次"}, {"assignment.nominate", "提名驻村干部"}, {"assignment.withdraw", "撤回提名"},
  {"assignment.approve", "审批同意选派"}, {"assignment.reject", "审批不同意选派"},
  {"assignment.adjustment", "申请调整驻村干部"}, {"assignment.recall", "召回驻村干部"},
  {"assignment.approved", "选派获批，等待到岗"}, {"assignment.handover", "进入交接过渡期"},
  {"assignment.active", "到岗在任"}, {"assignment.ended", "驻村任职结束"},
  {"handover.tick", "勾选交接事项"}, {"handover.confirm", "确认交接完成"}, {"org_transfer.record", "登记组织关系转接"},
  {"leave.request", "申请请假"}, {"leave.approve", "批准请假"}, {"leave.refuse", "不批准请假"},
  {"channel.create", "新增通知渠道"}, {"channel.update", "修改通知渠道"}, {"channel.settings", "修改消息发送参数"},
  {"outbox.requeue", "重新发送失败消息"},
  {"api_token.create", "签发接口令牌"}, {"api_token.revoke", "吊销接口令牌"}, {"api_token.use", "使用接口令牌调用接口"},
  {"webhook.create", "新增数据推送地址"}, {"webhook.update", "修改数据推送地址"}, {"webhook.requeue", "重新推送失败数据"},
  {"leave.cancel", "撤销请假"}, {"leave.close", "销假"}, {"log.create", "记录驻村日志"},
  {"report.submit", "提交工作报告"}, {"report.revise", "修改工作报告"}, {"report.read", "审阅工作报告"},
  {"violation.create", "登记违纪情况"}, {"violation.acknowledge", "派出单位确认收到违纪反馈"},
  {"violation.accountability", "登记追责问责"}, {"secondment.create", "登记抽调驻村干部"},
  {"reminder.create", "发出教育提醒"}, {"reminder.read", "阅读教育提醒"},
  {"supervision.create", "登记督导记录"}, {"supervision.withdraw", "撤回督导记录"}, {"period.unlock", "解锁已锁定月份"},
  {"funds.create", "登记经费"}, {"funds.withdraw", "撤回经费记录"},
  {"insurance.create", "登记意外伤害保险"}, {"insurance.withdraw", "撤回保险记录"},
  {"allowance.draft", "生成补助核算表"}, {"allowance.draft_auto", "系统生成上月补助核算表"},
  {"allowance.recount", "重新核算补助"}, {"allowance.adjust", "调整补助金额"}, {"allowance.confirm", "确认补助核算表并记入经费台账"},
  {"training_plan.create", "录入年度培训计划"}, {"training_plan.file", "上传培训计划文件"},
  {"training_event.create", "登记培训班"}, {"training_event.participants", "登记参训人员"},
  {"training_event.withdraw", "撤回培训班"}, {"commendation.create", "登记表彰激励"}, {"commendation.withdraw", "撤回表彰记录"},
  {"evaluation.round_open", "发起干部考核"}, {"evaluation.round_confirm", "确认考核结果"},
  {"upward_report.create", "新建上报材料"}, {"upward_report.edit", "修改上报材料"},
  {"upward_report.submit", "报送上报材料"}, {"upward_report.receive", "签收上报材料"},
  {"upward_report.return", "退回上报材料"},
  {"evaluation.report_save", "保存述职报告"}, {"evaluation.report_submit", "提交述职报告"},
  {"evaluation.votes", "录入民主测评"}, {"evaluation.votes_import", "导入民主测评表"},
  {"evaluation.township_opinion", "填写乡镇党委意见"}, {"evaluation.unit_opinion", "填写派出单位意见"},
  {"evaluation.result", "确定考核等次"}, {"log.revise", "修改被退回的驻村日志"},
  {"user.second_factor_started", "开始启用两步验证"}, {"user.second_factor_enrolled", "启用两步验证"},
  {"user.second_factor_reset", "重置两步验证"}, {"session.password_ok", "密码验证通过，等待动态验证码"},
  {"audit.chain_keyed", "审计链启用密钥校验"}, {"household.reveal_health", "查看成员完整健康状况"},
  {"household.import", "导入脱贫户和监测户"}, {"exchange.import", "数据交换导入"},
  {"exchange.export", "数据交换导出"}, {"household.update", "修改户信息"},
  {"household.reveal_id_number", "查看户成员完整身份证号"}, {"visit.create", "登记入户走访"},
  {"case.create", "登记风险线索"}, {"case.import", "导入监测帮扶案件"}, {"case.review", "民主评议"},
  {"case.notice", "公示"}, {"case.objection", "登记公示异议"}, {"case.check", "乡镇审核"}, {"case.decide", "县级审定"},
  {"case.measure", "登记帮扶措施"}, {"case.close", "确认风险消除"}, {"case.reopen", "返贫重新纳入监测"},
  {"case.close_verify", "风险消除入户核实"}, {"case.close_review", "风险消除民主评议"}, {"case.close_notice", "风险消除公示"},
  {"meeting.create", "登记防返贫监测研判会议"}, {"meeting.withdraw", "撤回监测研判会议记录"},
  {"activity.create", "登记村级活动"}, {"village_profile.change", "更新村情"},
  {"plan.create", "起草年度帮扶计划"}, {"plan.edit", "修改年度帮扶计划"}, {"plan.submit", "提交年度帮扶计划"},
  {"plan.review", "审定年度帮扶计划"}, {"plan.approve", "批准年度帮扶计划"}, {"plan.return", "退回年度帮扶计划"}, {"plan.progress", "登记帮扶计划进展"}, {"resource.create", "登记派出单位帮扶资源"},
};

static const struct { const char *entity, *zh; } NOUNS[] = {
  {"user", "账号"}, {"cadre", "干部信息"}, {"unit", "派出单位"}, {"region", ""}, {"assignment", "选派"},
  {"rotation_batch", "轮换批次"}, {"handover", "交接"}, {"leave", "请假"}, {"work_log", "驻村日志"},
  {"work_report", "工作报告"}, {"violation", "违纪记录"}, {"reminder", "教育提醒"}, {"secondment", "抽调记录"},
  {"supervision_record", "督导记录"}, {"period_unlock", "月份解锁"}, {"fund_entry", "经费记录"},
  {"insurance_policy", "保险记录"}, {"training_plan", "培训计划"}, {"training_event", "培训班"},
  {"commendation", "表彰记录"}, {"household", "户"}, {"monitoring_case", "监测帮扶案件"},
  {"monitoring_meeting", "监测研判会议"}, {"village_activity", "村级活动"}, {"village_profile_entry", "村情"},
  {"assistance_plan", "年度帮扶计划"}, {"plan_item", "计划事项"}, {"village_resource", "帮扶资源"},
  {"export", "导出"}, {"policy", "政策参数文件"}, {"upward_report", "上报材料"},
};

/* The detail fields worth reading, in the order shown. */
static const struct { const char *key, *zh; } FIELDS[] = {
  {"reason", "原因"}, {"explanation", "说明"}, {"comment", "意见"}, {"note", "备注"}, {"type", "类型"},
  {"start_date", "开始日期"}, {"end_date", "结束日期"}, {"days", "天数"}, {"on_date", "日期"}, {"valid_from", "生效日期"},
  {"name", "名称"}, {"title", "标题"}, {"amount", "金额（元）"}, {"year", "年度"}, {"month", "月份"},
  {"list", "清单"}, {"rows", "行数"}, {"added", "新增"}, {"updated", "更新"}, {"count", "条数"},
};

const char *audit_action_phrase(const char *action)
{
  for (size_t i = 0; action && i < sizeof PHRASES / sizeof PHRASES[0]; i++)
    if (strcmp(PHRASES[i].code, action) == 0) return PHRASES[i].zh;
  return NULL;
}

const char *audit_entity_noun(const char *entity)
{
  for (size_t i = 0; entity && i < sizeof NOUNS / sizeof NOUNS[0]; i++)
    if (strcmp(NOUNS[i].entity, entity) == 0) return NOUNS[i].zh;
  return NULL;
}

json_t *audit_phrases_json(void)
{
  json_t *out = json_array();
  for (size_t i = 0; out && i < sizeof PHRASES / sizeof PHRASES[0]; i++)
    json_array_append_new(out, json_pack("{s:s, s:s}", "code", PHRASES[i].code, "phrase", PHRASES[i].zh));
  return out;
}

/* Drops a UTF-8 character cut short at the end of s (snprintf cuts by bytes). */
static void utf8_trim(char *s)
{
  size_t n = strlen(s), k = n;
  while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80) k--;
  if (k == 0) return;
  unsigned char lead = (unsigned char)s[k - 1];
  size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (n - (k - 1) < need) s[k - 1] = '\0';
}

/* A code (ok, wrong_password): for the 技术详情, not for the words. */
static bool is_code(const char *s)
{
  if (!*s) return true;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || *s == '_')) return false;
  return true;
}

/* One field as text; objects and lists are counted, not spelled out; codes are left out. */
static int field_text(const json_t *v, char *out, size_t outlen)
{
  if (json_is_string(v) && is_code(json_string_value(v))) return -1;
  if (json_is_string(v)) {
    snprintf(out, outlen, "%s", json_string_value(v));
    utf8_trim(out);
    return (int)strlen(out);
  }
  if (json_is_integer(v)) return snprintf(out, outlen, "%lld", (long long)json_integer_value(v));
  if (json_is_real(v)) return snprintf(out, outlen, "%g", json_real_value(v));
  if (json_is_boolean(v)) return snprintf(out, outlen, "%s", json_is_true(v) ? "是" : "否");
  if (json_is_array(v)) return snprintf(out, outlen, "共 %zu 项", json_array_size(v));
  return -1;
}

char *audit_detail_words(const char *detail_json)
{
  json_t *d = detail_json && *detail_json ? json_loads(detail_json, 0, NULL) : NULL;
  size_t cap = 1024, len = 0;
  char *out = calloc(1, cap);
  if (!out) { json_decref(d); return NULL; }
  for (size_t i = 0; json_is_object(d) && i < sizeof FIELDS / sizeof FIELDS[0]; i++) {
    char value[256];
    const json_t *v = json_object_get(d, FIELDS[i].key);
    if (!v || field_text(v, value, sizeof value) <= 0) continue;
    int n = snprintf(out + len, cap - len, "%s%s：%s", len ? "；" : "", FIELDS[i].zh, value);
    if (n < 0 || (size_t)n >= cap - len) { out[len] = '\0'; break; } /* enough words for one row */
    len += (size_t)n;
  }
  json_decref(d);
  return out;
}
