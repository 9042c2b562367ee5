/**
 * The standardized communication template: field labels and enumerated
 * values in the six UN languages, so a recipient reads the structure of a
 * request in its own language even when the free text is in another.
 */
export const UN_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type UnLanguage = (typeof UN_LANGUAGES)[number];

export const REQUEST_TYPES = ['notification', 'request-for-information', 'request-for-assistance', 'follow-up'] as const;
export const URGENCIES = ['routine', 'priority', 'urgent'] as const;
export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export const REQUEST_STATUSES = ['sent', 'acknowledged', 'responded', 'declined', 'closed', 'withdrawn', 'expired'] as const;
export const DECISIONS = ['answer', 'decline'] as const;

const FIELDS = ['reference', 'from', 'to', 'domain', 'type', 'urgency', 'subject', 'incidentSummary', 'ask', 'tlp', 'language', 'respondBy', 'relatesTo', 'status', 'createdAt'] as const;

interface Labels {
  fields: Record<(typeof FIELDS)[number], string>;
  type: Record<(typeof REQUEST_TYPES)[number], string>;
  urgency: Record<(typeof URGENCIES)[number], string>;
  domain: Record<'diplomatic' | 'policy' | 'technical', string>;
  status: Record<(typeof REQUEST_STATUSES)[number], string>;
  decision: Record<(typeof DECISIONS)[number], string>;
}

const LABELS: Record<UnLanguage, Labels> = {
  en: {
    fields: {
      reference: 'Reference number',
      from: 'Sending state',
      to: 'Receiving state',
      domain: 'Point of contact type',
      type: 'Type of communication',
      urgency: 'Urgency',
      subject: 'Subject',
      incidentSummary: 'Incident summary',
      ask: 'What is requested',
      tlp: 'Handling (Traffic Light Protocol)',
      language: 'Language of the text',
      respondBy: 'Reply requested by (UTC)',
      relatesTo: 'Related communication',
      status: 'Status',
      createdAt: 'Date and time sent (UTC)',
    },
    type: { notification: 'Notification', 'request-for-information': 'Request for information', 'request-for-assistance': 'Request for assistance', 'follow-up': 'Follow-up' },
    urgency: { routine: 'Routine', priority: 'Priority', urgent: 'Urgent' },
    domain: { diplomatic: 'Diplomatic', policy: 'Policy', technical: 'Technical' },
    status: { sent: 'Sent', acknowledged: 'Receipt acknowledged', responded: 'Responded', declined: 'Declined', closed: 'Closed', withdrawn: 'Withdrawn', expired: 'Expired' },
    decision: { answer: 'Answer', decline: 'Decline' },
  },
  fr: {
    fields: {
      reference: 'Numéro de référence',
      from: 'État expéditeur',
      to: 'État destinataire',
      domain: 'Type de point de contact',
      type: 'Type de communication',
      urgency: "Degré d'urgence",
      subject: 'Objet',
      incidentSummary: "Résumé de l'incident",
      ask: 'Demande formulée',
      tlp: 'Traitement (Traffic Light Protocol)',
      language: 'Langue du texte',
      respondBy: 'Réponse souhaitée avant (UTC)',
      relatesTo: 'Communication liée',
      status: 'Statut',
      createdAt: "Date et heure d'envoi (UTC)",
    },
    type: { notification: 'Notification', 'request-for-information': "Demande d'information", 'request-for-assistance': "Demande d'assistance", 'follow-up': 'Suivi' },
    urgency: { routine: 'Courante', priority: 'Prioritaire', urgent: 'Urgente' },
    domain: { diplomatic: 'Diplomatique', policy: 'Politique', technical: 'Technique' },
    status: { sent: 'Envoyée', acknowledged: 'Réception confirmée', responded: 'Réponse donnée', declined: 'Refusée', closed: 'Clôturée', withdrawn: 'Retirée', expired: 'Expirée' },
    decision: { answer: 'Réponse', decline: 'Refus' },
  },
  es: {
    fields: {
      reference: 'Número de referencia',
      from: 'Estado remitente',
      to: 'Estado destinatario',
      domain: 'Tipo de punto de contacto',
      type: 'Tipo de comunicación',
      urgency: 'Urgencia',
      subject: 'Asunto',
      incidentSummary: 'Resumen del incidente',
      ask: 'Lo que se solicita',
      tlp: 'Tratamiento (Traffic Light Protocol)',
      language: 'Idioma del texto',
      respondBy: 'Respuesta solicitada antes de (UTC)',
      relatesTo: 'Comunicación relacionada',
      status: 'Estado de la comunicación',
      createdAt: 'Fecha y hora de envío (UTC)',
    },
    type: { notification: 'Notificación', 'request-for-information': 'Solicitud de información', 'request-for-assistance': 'Solicitud de asistencia', 'follow-up': 'Seguimiento' },
    urgency: { routine: 'Ordinaria', priority: 'Prioritaria', urgent: 'Urgente' },
    domain: { diplomatic: 'Diplomático', policy: 'Político', technical: 'Técnico' },
    status: { sent: 'Enviada', acknowledged: 'Recepción confirmada', responded: 'Respondida', declined: 'Rechazada', closed: 'Cerrada', withdrawn: 'Retirada', expired: 'Vencida' },
    decision: { answer: 'Respuesta', decline: 'Rechazo' },
  },
  ru: {
    fields: {
      reference: 'Регистрационный номер',
      from: 'Государство-отправитель',
      to: 'Государство-получатель',
      domain: 'Тип контактного лица',
      type: 'Тип сообщения',
      urgency: 'Срочность',
      subject: 'Тема',
      incidentSummary: 'Краткое описание инцидента',
      ask: 'Суть запроса',
      tlp: 'Порядок обращения (Traffic Light Protocol)',
      language: 'Язык текста',
      respondBy: 'Ответ требуется до (UTC)',
      relatesTo: 'Связанное сообщение',
      status: 'Статус',
      createdAt: 'Дата и время отправки (UTC)',
    },
    type: { notification: 'Уведомление', 'request-for-information': 'Запрос информации', 'request-for-assistance': 'Запрос о помощи', 'follow-up': 'Последующее сообщение' },
    urgency: { routine: 'Обычная', priority: 'Приоритетная', urgent: 'Срочная' },
    domain: { diplomatic: 'Дипломатический', policy: 'Политический', technical: 'Технический' },
    status: { sent: 'Отправлено', acknowledged: 'Получение подтверждено', responded: 'Дан ответ', declined: 'Отклонено', closed: 'Закрыто', withdrawn: 'Отозвано', expired: 'Срок истёк' },
    decision: { answer: 'Ответ', decline: 'Отказ' },
  },
  zh: {
    fields: {
      reference: '参考编号',
      from: '发送国',
      to: '接收国',
      domain: '联络点类型',
      type: '通信类型',
      urgency: '紧急程度',
      subject: '主题',
      incidentSummary: '事件摘要',
      ask: '请求事项',
      tlp: '处理方式（交通灯协议）',
      language: '文本语言',
      respondBy: '请求答复时限（UTC）',
      relatesTo: '相关通信',
      status: '状态',
      createdAt: '发送日期和时间（UTC）',
    },
    type: { notification: '通知', 'request-for-information': '信息请求', 'request-for-assistance': '援助请求', 'follow-up': '后续跟进' },
    urgency: { routine: '常规', priority: '优先', urgent: '紧急' },
    domain: { diplomatic: '外交', policy: '政策', technical: '技术' },
    status: { sent: '已发送', acknowledged: '已确认收到', responded: '已答复', declined: '已拒绝', closed: '已关闭', withdrawn: '已撤回', expired: '已过期' },
    decision: { answer: '答复', decline: '拒绝' },
  },
  ar: {
    fields: {
      reference: 'الرقم المرجعي',
      from: 'الدولة المرسِلة',
      to: 'الدولة المستقبِلة',
      domain: 'نوع جهة الاتصال',
      type: 'نوع الاتصال',
      urgency: 'درجة الاستعجال',
      subject: 'الموضوع',
      incidentSummary: 'ملخص الحادث',
      ask: 'المطلوب',
      tlp: 'التداول (بروتوكول إشارات المرور)',
      language: 'لغة النص',
      respondBy: 'الرد مطلوب قبل (بالتوقيت العالمي)',
      relatesTo: 'اتصال ذو صلة',
      status: 'الحالة',
      createdAt: 'تاريخ ووقت الإرسال (بالتوقيت العالمي)',
    },
    type: { notification: 'إخطار', 'request-for-information': 'طلب معلومات', 'request-for-assistance': 'طلب مساعدة', 'follow-up': 'متابعة' },
    urgency: { routine: 'عادي', priority: 'ذو أولوية', urgent: 'عاجل' },
    domain: { diplomatic: 'دبلوماسي', policy: 'سياسات', technical: 'تقني' },
    status: { sent: 'أُرسل', acknowledged: 'تم تأكيد الاستلام', responded: 'تم الرد', declined: 'مرفوض', closed: 'مغلق', withdrawn: 'مسحوب', expired: 'انتهت المهلة' },
    decision: { answer: 'رد', decline: 'رفض' },
  },
};

/** The base template's version; the members adopt later versions by a template-version proposal. */
export const BASE_TEMPLATE_VERSION = '1.0';

/** An adopted template version: field label overrides per UN language. */
export interface AdoptedTemplate {
  version: string;
  labels: Partial<Record<string, Record<string, string>>>;
}

export function requestTemplate(lang: UnLanguage, adopted: AdoptedTemplate | null = null) {
  const overrides = adopted?.labels[lang] ?? {};
  return {
    lang,
    version: adopted?.version ?? BASE_TEMPLATE_VERSION,
    direction: lang === 'ar' ? ('rtl' as const) : ('ltr' as const),
    fields: FIELDS.map((name) => ({ name, label: overrides[name] ?? LABELS[lang].fields[name] })),
    values: {
      type: REQUEST_TYPES.map((value) => ({ value, label: LABELS[lang].type[value] })),
      urgency: URGENCIES.map((value) => ({ value, label: LABELS[lang].urgency[value] })),
      domain: (['diplomatic', 'policy', 'technical'] as const).map((value) => ({ value, label: LABELS[lang].domain[value] })),
      tlp: TLP_LEVELS.map((value) => ({ value, label: `TLP:${value}` })),
      status: REQUEST_STATUSES.map((value) => ({ value, label: LABELS[lang].status[value] })),
      decision: DECISIONS.map((value) => ({ value, label: LABELS[lang].decision[value] })),
    },
  };
}
