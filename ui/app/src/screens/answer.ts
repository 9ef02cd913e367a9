// The answer to a coordinator who asked for information: the question quoted, the caption
// and tags to change, and Send. The core makes the capture's next revision (same media,
// signed again) and the sync sends it; see crates/saakshi-core/src/revise.rs.

import { field, h, tx } from '../dom'
import { showError } from '../errors'
import { api, type QueueItem } from '../ipc'

/** A modal dialog; `done` is called with the answered capture once it is saved. */
export function answerDialog(item: QueueItem, done: (answered: QueueItem) => void): HTMLDialogElement {
  const errors = h('div', { class: 'errors', 'aria-live': 'assertive' })
  const caption = h('textarea', { id: 'answer-caption', rows: '3', maxlength: '2000', 'data-testid': 'answer-caption' })
  caption.value = item.caption
  const tags = h('input', { id: 'answer-tags', type: 'text', 'data-testid': 'answer-tags' })
  tags.value = item.tags.join(', ')
  const send = h('button', { type: 'submit', class: 'primary', 'data-testid': 'answer-send' }, tx('answer.send'))
  const cancel = h('button', { type: 'button', 'data-testid': 'answer-cancel' }, tx('answer.cancel'))
  const form = h(
    'form',
    { method: 'dialog' },
    h('h3', {}, tx('answer.title')),
    h('p', {}, tx('answer.question')),
    h('blockquote', { class: 'question', 'data-testid': 'answer-question' }, item.review_note ?? ''),
    h('p', { class: 'hint' }, tx('answer.hint')),
    field('capture.caption', caption),
    field('capture.tags', tags, 'capture.tags_hint'),
    errors,
    h('div', { class: 'actions' }, send, cancel),
  )
  const dialog = h('dialog', { class: 'answer', 'data-testid': 'answer-dialog' }, form)
  const close = () => {
    dialog.close()
    dialog.remove()
  }
  cancel.addEventListener('click', close)
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    send.disabled = true
    try {
      const answered = await api.answer(item.id, {
        caption: caption.value,
        tags: tags.value.split(',').map((t) => t.trim()).filter(Boolean),
        location: null,
      })
      close()
      done(answered)
    } catch (err) {
      showError(errors, err)
      send.disabled = false
    }
  })
  return dialog
}
