// A list that renders only the rows in view (plus a few), so 10,000 captures scroll as
// smoothly as ten. Rows have one fixed height; pages of rows are fetched on demand and
// kept, so scrolling back costs nothing.

export interface VirtualListOptions<T> {
  rowHeight: number
  pageSize: number
  fetchPage: (offset: number, limit: number) => Promise<{ total: number; items: T[] }>
  renderRow: (item: T | undefined, index: number) => HTMLElement
  label: string
}

export class VirtualList<T> {
  readonly el: HTMLElement
  private spacer: HTMLElement
  private rows = new Map<number, HTMLElement>()
  private pages = new Map<number, T[]>()
  private loading = new Set<number>()
  private total = 0
  private generation = 0
  private frame = 0

  constructor(private opts: VirtualListOptions<T>) {
    this.el = document.createElement('div')
    this.el.className = 'vlist'
    this.el.setAttribute('role', 'list')
    this.el.setAttribute('aria-label', opts.label)
    this.el.tabIndex = 0
    this.spacer = document.createElement('div')
    this.spacer.className = 'vlist-spacer'
    this.el.append(this.spacer)
    this.el.addEventListener('scroll', () => this.schedule(), { passive: true })
    new ResizeObserver(() => this.schedule()).observe(this.el)
  }

  /** Forgets every row and page (the filter changed) and starts from the top. */
  async reset(): Promise<void> {
    this.generation++
    this.pages.clear()
    this.loading.clear()
    this.rows.forEach((r) => r.remove())
    this.rows.clear()
    this.el.scrollTop = 0
    await this.load(0)
  }

  /** Re-fetches the pages in view (states changed) without moving. */
  async refresh(): Promise<void> {
    const gen = ++this.generation
    const pages = [...this.visiblePages()]
    this.loading.clear()
    for (const p of pages) await this.load(p, gen, true)
  }

  count(): number {
    return this.total
  }

  /** Items loaded so far, for in-place updates (progress events). */
  forEachLoaded(fn: (item: T, index: number) => void): void {
    for (const [p, items] of this.pages) items.forEach((it, i) => fn(it, p * this.opts.pageSize + i))
  }

  /** Renders the row at `index` again, if it is on screen. */
  rerender(index: number): void {
    const old = this.rows.get(index)
    if (!old) return
    const row = this.makeRow(index)
    old.replaceWith(row)
    this.rows.set(index, row)
  }

  private visiblePages(): Set<number> {
    const { rowHeight, pageSize } = this.opts
    const first = Math.floor(this.el.scrollTop / rowHeight)
    const last = Math.ceil((this.el.scrollTop + this.el.clientHeight) / rowHeight)
    return new Set([Math.floor(first / pageSize), Math.floor(Math.max(first, last - 1) / pageSize)])
  }

  private async load(page: number, gen = this.generation, force = false): Promise<void> {
    if (!force && (this.pages.has(page) || this.loading.has(page))) return
    this.loading.add(page)
    const res = await this.opts.fetchPage(page * this.opts.pageSize, this.opts.pageSize)
    if (gen !== this.generation) return
    this.loading.delete(page)
    this.total = res.total
    this.pages.set(page, res.items)
    this.spacer.style.height = `${this.total * this.opts.rowHeight}px`
    this.el.setAttribute('aria-rowcount', String(this.total))
    // Rows of this page drawn as placeholders are drawn again with their data.
    for (let i = 0; i < res.items.length; i++) this.rows.get(page * this.opts.pageSize + i)?.remove()
    for (let i = 0; i < res.items.length; i++) this.rows.delete(page * this.opts.pageSize + i)
    this.draw()
    this.el.dispatchEvent(new CustomEvent('loaded'))
  }

  private item(index: number): T | undefined {
    const { pageSize } = this.opts
    return this.pages.get(Math.floor(index / pageSize))?.[index % pageSize]
  }

  private makeRow(index: number): HTMLElement {
    const row = this.opts.renderRow(this.item(index), index)
    row.style.top = `${index * this.opts.rowHeight}px`
    row.style.height = `${this.opts.rowHeight}px`
    row.setAttribute('role', 'listitem')
    row.setAttribute('aria-posinset', String(index + 1))
    row.setAttribute('aria-setsize', String(this.total))
    return row
  }

  private schedule(): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.draw()
    })
  }

  private draw(): void {
    const { rowHeight, pageSize } = this.opts
    const overscan = 6
    const first = Math.max(0, Math.floor(this.el.scrollTop / rowHeight) - overscan)
    const last = Math.min(this.total, Math.ceil((this.el.scrollTop + this.el.clientHeight) / rowHeight) + overscan)
    for (const [i, row] of this.rows) {
      if (i < first || i >= last) {
        row.remove()
        this.rows.delete(i)
      }
    }
    for (let i = first; i < last; i++) {
      if (this.rows.has(i)) continue
      const page = Math.floor(i / pageSize)
      if (!this.pages.has(page)) void this.load(page)
      const row = this.makeRow(i)
      this.rows.set(i, row)
      this.el.append(row)
    }
  }
}
