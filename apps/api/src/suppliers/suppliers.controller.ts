import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, MinRole } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { CreateSupplierDto, ListSuppliersQuery, UpdateSupplierDto } from './dto/supplier.dto';
import { SuppliersService } from './suppliers.service';

@Controller('v1/suppliers')
export class SuppliersController {
  constructor(private readonly suppliers: SuppliersService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListSuppliersQuery) {
    return this.suppliers.list(principal, query);
  }

  @Post()
  @MinRole('procurement')
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateSupplierDto) {
    return this.suppliers.create(principal, dto);
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.suppliers.get(principal, id);
  }

  @Patch(':id')
  @MinRole('procurement')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateSupplierDto,
  ) {
    return this.suppliers.update(principal, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @MinRole('risk_manager')
  remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.suppliers.remove(principal, id);
  }
}
